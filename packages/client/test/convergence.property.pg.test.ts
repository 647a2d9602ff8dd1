/** The convergence property (support/convergence-suite.ts) on two server instances over one PostgreSQL database. */
import { convergenceSuite } from './support/convergence-suite.ts';

convergenceSuite('postgres');
