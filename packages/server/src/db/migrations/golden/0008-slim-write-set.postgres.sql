table applied_events
  event_id text not null
  user_id text not null
  device_id text not null
  organization_id text
  fingerprint text not null
  outcome text not null
  created_at text not null
table appointments
  id text not null
  version integer not null
  updated_at text not null
  updated_by text not null
  deleted integer not null default 0
  field_versions text not null default '{}'::text
  team_id text
  patient_id text
  starts_at text
  duration_min integer
  status text
  reason text
  kind text
table audit_log
  organization_id text not null
  seq bigint not null
  at text not null
  user_id text not null
  device_id text
  event_id text
  table_name text not null
  record_id text not null
  op text not null
  version integer not null
  before text
  after text
table change_log
  organization_id text not null
  seq bigint not null
  table_name text not null
  record_id text not null
  version integer not null
  op text not null
table device_outbox
  user_id text not null
  device_id text not null
  organization_id text not null
  pending integer not null
  oldest_pending_at text
  open_conflicts integer
  dead_letters integer
  reported_at text not null
table devices
  user_id text not null
  device_id text not null
  device_name text not null
  sync_token_hash text not null
  created_at text not null
  revoked_at text
  last_push_at text
  last_pull_at text
  pending integer
  oldest_pending_at text
  open_conflicts integer
  dead_letters integer
  schema_version integer
  app_version text
table invitations
  id text not null
  organization_id text not null
  email text not null
  role text not null
  team_id text
  invited_by text not null
  created_at text not null
  expires_at text not null
  status text not null
  responded_at text
  responded_by text
table medications
  id text not null
  version integer not null
  updated_at text not null
  updated_by text not null
  deleted integer not null default 0
  field_versions text not null default '{}'::text
  patient_id text
  code text
  dose text
  route text
  frequency text
  status text
  entered_in_error integer default 0
  error_reason text
table members
  id text not null
  version integer not null
  updated_at text not null
  updated_by text not null
  deleted integer not null default 0
  field_versions text not null default '{}'::text
  organization_id text
  user_id text
  role text
  team_id text
table org_seq
  organization_id text not null
  last_seq bigint not null
table organizations
  id text not null
  version integer not null
  updated_at text not null
  updated_by text not null
  deleted integer not null default 0
  field_versions text not null default '{}'::text
  name text
table patients
  id text not null
  version integer not null
  updated_at text not null
  updated_by text not null
  deleted integer not null default 0
  field_versions text not null default '{}'::text
  organization_id text
  given_name text
  family_name text
  birth_date text
  sex text
  phone text
  address text
  notes text
  identifier text
table rate_limits
  key text not null
  window_started_at text not null
  hits integer not null
table refresh_tokens
  token_hash text not null
  session_id text not null
  created_at text not null
  expires_at text not null
  used_at text
table server_secrets
  name text not null
  value text not null
  created_at text not null
table sessions
  id text not null
  user_id text not null
  device_id text
  created_at text not null
  revoked_at text
  revoked_reason text
table sign_in_throttle
  key text not null
  failures integer not null
  last_failure_at text not null
  next_allowed_at text not null
table teams
  id text not null
  version integer not null
  updated_at text not null
  updated_by text not null
  deleted integer not null default 0
  field_versions text not null default '{}'::text
  organization_id text
  name text
table users
  id text not null
  email text not null
  name text not null
  password_hash text not null
  created_at text not null
table vitals
  id text not null
  version integer not null
  updated_at text not null
  updated_by text not null
  deleted integer not null default 0
  field_versions text not null default '{}'::text
  patient_id text
  kind text
  value double precision
  unit text
  recorded_at text
  value2 double precision
  entered_in_error integer default 0
  error_reason text
constraint applied_events.applied_events_pkey: PRIMARY KEY (event_id)
constraint appointments.appointments_pkey: PRIMARY KEY (id)
constraint audit_log.audit_log_pk: PRIMARY KEY (organization_id, seq)
constraint change_log.change_log_pk: PRIMARY KEY (organization_id, seq)
constraint change_log.change_log_record_uq: UNIQUE (table_name, record_id)
constraint device_outbox.device_outbox_pk: PRIMARY KEY (user_id, device_id, organization_id)
constraint devices.devices_pk: PRIMARY KEY (user_id, device_id)
constraint devices.devices_sync_token_hash_key: UNIQUE (sync_token_hash)
constraint devices.devices_user_id_fkey: FOREIGN KEY (user_id) REFERENCES users(id)
constraint invitations.invitations_pkey: PRIMARY KEY (id)
constraint medications.medications_pkey: PRIMARY KEY (id)
constraint members.members_pkey: PRIMARY KEY (id)
constraint org_seq.org_seq_pkey: PRIMARY KEY (organization_id)
constraint organizations.organizations_pkey: PRIMARY KEY (id)
constraint patients.patients_pkey: PRIMARY KEY (id)
constraint rate_limits.rate_limits_pkey: PRIMARY KEY (key)
constraint refresh_tokens.refresh_tokens_pkey: PRIMARY KEY (token_hash)
constraint refresh_tokens.refresh_tokens_session_id_fkey: FOREIGN KEY (session_id) REFERENCES sessions(id)
constraint server_secrets.server_secrets_pkey: PRIMARY KEY (name)
constraint sessions.sessions_pkey: PRIMARY KEY (id)
constraint sessions.sessions_user_id_fkey: FOREIGN KEY (user_id) REFERENCES users(id)
constraint sign_in_throttle.sign_in_throttle_pkey: PRIMARY KEY (key)
constraint teams.teams_pkey: PRIMARY KEY (id)
constraint users.users_email_key: UNIQUE (email)
constraint users.users_pkey: PRIMARY KEY (id)
constraint vitals.vitals_pkey: PRIMARY KEY (id)
index applied_events_created_idx: CREATE INDEX applied_events_created_idx ON applied_events USING btree (created_at)
index applied_events_pkey: CREATE UNIQUE INDEX applied_events_pkey ON applied_events USING btree (event_id)
index appointments_patient_id_idx: CREATE INDEX appointments_patient_id_idx ON appointments USING btree (patient_id)
index appointments_pkey: CREATE UNIQUE INDEX appointments_pkey ON appointments USING btree (id)
index appointments_team_id_idx: CREATE INDEX appointments_team_id_idx ON appointments USING btree (team_id)
index audit_log_pk: CREATE UNIQUE INDEX audit_log_pk ON audit_log USING btree (organization_id, seq)
index audit_log_record_idx: CREATE INDEX audit_log_record_idx ON audit_log USING btree (organization_id, record_id, seq)
index change_log_pk: CREATE UNIQUE INDEX change_log_pk ON change_log USING btree (organization_id, seq)
index change_log_record_uq: CREATE UNIQUE INDEX change_log_record_uq ON change_log USING btree (table_name, record_id)
index device_outbox_org_idx: CREATE INDEX device_outbox_org_idx ON device_outbox USING btree (organization_id, user_id)
index device_outbox_pk: CREATE UNIQUE INDEX device_outbox_pk ON device_outbox USING btree (user_id, device_id, organization_id)
index devices_pk: CREATE UNIQUE INDEX devices_pk ON devices USING btree (user_id, device_id)
index devices_sync_token_hash_key: CREATE UNIQUE INDEX devices_sync_token_hash_key ON devices USING btree (sync_token_hash)
index invitations_email_idx: CREATE INDEX invitations_email_idx ON invitations USING btree (email, status, expires_at)
index invitations_org_idx: CREATE INDEX invitations_org_idx ON invitations USING btree (organization_id, status, expires_at)
index invitations_pkey: CREATE UNIQUE INDEX invitations_pkey ON invitations USING btree (id)
index medications_patient_id_idx: CREATE INDEX medications_patient_id_idx ON medications USING btree (patient_id)
index medications_pkey: CREATE UNIQUE INDEX medications_pkey ON medications USING btree (id)
index members_organization_id_idx: CREATE INDEX members_organization_id_idx ON members USING btree (organization_id)
index members_pkey: CREATE UNIQUE INDEX members_pkey ON members USING btree (id)
index members_team_id_idx: CREATE INDEX members_team_id_idx ON members USING btree (team_id)
index members_user_id_idx: CREATE INDEX members_user_id_idx ON members USING btree (user_id)
index org_seq_pkey: CREATE UNIQUE INDEX org_seq_pkey ON org_seq USING btree (organization_id)
index organizations_pkey: CREATE UNIQUE INDEX organizations_pkey ON organizations USING btree (id)
index patients_identifier_uq: CREATE UNIQUE INDEX patients_identifier_uq ON patients USING btree (organization_id, identifier)
index patients_organization_id_idx: CREATE INDEX patients_organization_id_idx ON patients USING btree (organization_id)
index patients_pkey: CREATE UNIQUE INDEX patients_pkey ON patients USING btree (id)
index rate_limits_pkey: CREATE UNIQUE INDEX rate_limits_pkey ON rate_limits USING btree (key)
index rate_limits_window_idx: CREATE INDEX rate_limits_window_idx ON rate_limits USING btree (window_started_at)
index refresh_tokens_expires_idx: CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens USING btree (expires_at)
index refresh_tokens_pkey: CREATE UNIQUE INDEX refresh_tokens_pkey ON refresh_tokens USING btree (token_hash)
index refresh_tokens_session_idx: CREATE INDEX refresh_tokens_session_idx ON refresh_tokens USING btree (session_id)
index server_secrets_pkey: CREATE UNIQUE INDEX server_secrets_pkey ON server_secrets USING btree (name)
index sessions_pkey: CREATE UNIQUE INDEX sessions_pkey ON sessions USING btree (id)
index sessions_user_idx: CREATE INDEX sessions_user_idx ON sessions USING btree (user_id)
index sign_in_throttle_last_idx: CREATE INDEX sign_in_throttle_last_idx ON sign_in_throttle USING btree (last_failure_at)
index sign_in_throttle_pkey: CREATE UNIQUE INDEX sign_in_throttle_pkey ON sign_in_throttle USING btree (key)
index teams_organization_id_idx: CREATE INDEX teams_organization_id_idx ON teams USING btree (organization_id)
index teams_pkey: CREATE UNIQUE INDEX teams_pkey ON teams USING btree (id)
index users_email_key: CREATE UNIQUE INDEX users_email_key ON users USING btree (email)
index users_pkey: CREATE UNIQUE INDEX users_pkey ON users USING btree (id)
index vitals_patient_id_idx: CREATE INDEX vitals_patient_id_idx ON vitals USING btree (patient_id)
index vitals_pkey: CREATE UNIQUE INDEX vitals_pkey ON vitals USING btree (id)
