/**
 * Fail closed: shown instead of the app when this browser cannot open the
 * persistent store. Nothing can be saved, so nothing can be typed.
 */
export function StorageFailure({ reason }: { reason: string }) {
  return (
    <main className="browser-failure" role="alert">
      <h1>ClinicSync cannot open its storage</h1>
      <p>Storage is not available: {reason}.</p>
      <p>
        ClinicSync keeps every record in this browser&apos;s storage before it syncs, and it does not run without it, so
        that nothing you type could be lost. Close other ClinicSync windows, leave private browsing, or allow this site
        to store data, then reload this page.
      </p>
    </main>
  );
}
