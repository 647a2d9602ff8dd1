/**
 * Child process for the interrupted-migration test: encrypts the store at
 * argv[2] with the hex key argv[3] and SIGKILLs itself right after step
 * argv[4], as a power cut or a killed process would stop it.
 */
import { encryptStoreFile, type MigrationStep } from '../../src/store/encrypt-store-file.ts';

const [path, keyHex, dieAfter] = process.argv.slice(2) as [string, string, MigrationStep];
encryptStoreFile(path, Buffer.from(keyHex, 'hex'), {
  afterStep: (step) => {
    if (step === dieAfter) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without dying\n');
