/**
 * The server's injectable world (time and identifiers), from the protocol
 * package so server, engine and desktop share one definition.
 */
export {
  fakeClock,
  randomIds,
  sequentialIds,
  systemClock,
  type Clock,
  type FakeClock,
  type Ids,
} from '@clinicsync/protocol';
