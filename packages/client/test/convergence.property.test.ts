/** The convergence property (support/convergence-suite.ts) on one server on SQLite. */
import { convergenceSuite } from './support/convergence-suite.ts';

convergenceSuite('sqlite');
