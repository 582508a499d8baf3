// The floor benchmark's worker process: the SDK's Worker with its defaults (as worker/main.ts
// runs ours) polling for bench/floor/workflow.ts only. TEMPORAL_ADDRESS and TASK_QUEUE.
import { NativeConnection, Worker } from '@temporalio/worker';
import { requireEnv } from '../../worker/config';

async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: requireEnv('TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: requireEnv('TASK_QUEUE'),
    workflowsPath: require.resolve('./workflow'),
  });
  console.log('floor worker polling');
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
