// Builds the Temporal server and its SQL tool into .tools/ if they are not there yet (minutes,
// once, with progress), so that no test's timeout has to cover a build.
import { resolveTemporalServer } from '../../scripts/temporal-server-build';

export default async function globalSetup(): Promise<void> {
  await resolveTemporalServer();
}
