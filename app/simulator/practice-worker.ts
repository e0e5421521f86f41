// Worker thread entry: the practice simulator (practice-thread.ts starts it). The HTTP server,
// its parsing, validation, record and lead state live on this thread, so the thread that sends
// a run spends neither CPU nor heap on answering itself.
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type Simulator } from './server.ts';
import { practicePreset } from './presets.ts';
import type {
  PracticeAnswerMessage,
  PracticeCall,
  PracticeCallValue,
  PracticeRequestMessage,
  PracticeThreadRequest,
} from './practice-protocol.ts';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function answer(simulator: Simulator, call: PracticeCall): Promise<PracticeCallValue> {
  switch (call.method) {
    case 'lead':
      return simulator.lead(call.leadId);
    case 'changeLead':
      simulator.changeLead(call.leadId, call.patch);
      return undefined;
    case 'counts':
      return simulator.counts();
    case 'close':
      await simulator.close();
      return undefined;
  }
}

const port = parentPort;
if (port) {
  const request = workerData as PracticeThreadRequest;
  const post = (message: PracticeAnswerMessage): void => port.postMessage(message);
  try {
    const simulator = await startSimulator(
      { ...practicePreset, ...request.options },
      { recordLimit: request.recordLimit, stateLimit: request.stateLimit },
    );
    port.on('message', (message: PracticeRequestMessage) => {
      if (message.type !== 'practice-call') return;
      answer(simulator, message.call).then(
        (value) => {
          post({ type: 'practice-answer', id: message.id, value });
          // Closed: nothing keeps this thread, and it ends.
          if (message.call.method === 'close') port.close();
        },
        (error: unknown) => post({ type: 'practice-call-failed', id: message.id, message: messageOf(error) }),
      );
    });
    post({ type: 'practice-listening', url: simulator.url });
  } catch (error) {
    post({ type: 'practice-start-failed', message: messageOf(error) });
    port.close();
  }
}
