import { type Message, TaskState } from "@a2a-js/sdk";
import { AgentEvent as BusEvent, type ExecutionEventBus, type RequestContext } from "@a2a-js/sdk/server";
import { agentMessage, messageTextOf } from "../executor/parts.js";
import { publishCanceled, submittedTask, taskStatus } from "../executor/task-events.js";
import type { StoppableExecutor } from "../server/a2a-service.js";
import { type Scenario, type ScenarioStep, scenarioFor } from "./tck-scenarios.js";

export interface ConformanceExecutorOptions {
  /** `TCK_STREAMING_TIMEOUT` in ms (see `streamingTimeoutMs`); long-running tasks stay WORKING twice as long. */
  streamingTimeoutMs?: number;
  /** Called with the scenario title (or "default") for each task, e.g. to log it. */
  onScenario?: (title: string, messageId: string) => void;
}

interface Running {
  contextId: string;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The executor behind `codetether serve --a2a-conformance`: instead of running a model it follows the
 * A2A TCK's agent-under-test contract, picking the behaviour by `messageId` prefix (`tck-*`,
 * `test-resubscribe-message-id*`). Any other message completes the task with an echo of its text. Every
 * execute publishes the Task first (SDK rule), and cancel publishes a terminal CANCELED status.
 */
export class ConformanceExecutor implements StoppableExecutor {
  private readonly running = new Map<string, Running>();
  /** Context of each task that may still be canceled (running or INPUT_REQUIRED). */
  private readonly contexts = new Map<string, string>();
  private readonly timeoutMs: number;

  constructor(private readonly options: ConformanceExecutorOptions = {}) {
    this.timeoutMs = options.streamingTimeoutMs ?? 2000;
  }

  execute = async (ctx: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId, userMessage } = ctx;
    const scenario = scenarioFor(userMessage.messageId);
    this.options.onScenario?.(scenario?.title ?? "default", userMessage.messageId);
    const steps = scenario?.steps ?? defaultSteps(userMessage);
    const first = steps[0];
    if (first?.kind === "message" && !ctx.task) {
      bus.publish(BusEvent.message(agentMessage(first.text, "", contextId)));
      return;
    }
    this.contexts.set(taskId, contextId);
    bus.publish(BusEvent.task(submittedTask(ctx)));
    await this.play(scenario, steps, ctx, bus);
  };

  cancelTask = async (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const run = this.running.get(taskId);
    run?.controller.abort();
    const contextId = run?.contextId ?? this.contexts.get(taskId) ?? "";
    this.contexts.delete(taskId);
    publishCanceled(bus, taskId, contextId);
    await run?.done;
  };

  async abortAll(): Promise<string[]> {
    const ids = [...this.running.keys()];
    for (const run of this.running.values()) run.controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
    return ids;
  }

  private async play(
    scenario: Scenario | undefined,
    steps: ScenarioStep[],
    ctx: RequestContext,
    bus: ExecutionEventBus,
  ): Promise<void> {
    const { taskId, contextId } = ctx;
    const controller = new AbortController();
    let finish!: () => void;
    const entry: Running = { contextId, controller, done: new Promise<void>((r) => (finish = r)) };
    this.running.set(taskId, entry);
    const publishStatus = (state: TaskState, text?: string) =>
      bus.publish(
        BusEvent.statusUpdate({
          taskId,
          contextId,
          status: taskStatus(state, text === undefined ? undefined : agentMessage(text, taskId, contextId)),
          metadata: undefined,
        }),
      );
    try {
      for (const step of steps) {
        if (controller.signal.aborted) return;
        switch (step.kind) {
          case "working":
            publishStatus(TaskState.TASK_STATE_WORKING);
            break;
          case "artifact":
            bus.publish(
              BusEvent.artifactUpdate({
                taskId,
                contextId,
                artifact: { ...step.artifact, parts: step.artifact.parts.map((part) => ({ ...part })) },
                append: step.append ?? false,
                lastChunk: step.lastChunk ?? true,
                metadata: undefined,
              }),
            );
            break;
          case "wait-streaming-timeout":
            await sleep(step.factor * this.timeoutMs, controller.signal);
            break;
          case "complete":
            publishStatus(
              TaskState.TASK_STATE_COMPLETED,
              step.text ?? `Completed: ${scenario?.title ?? "task"}`,
            );
            break;
          case "input-required":
            publishStatus(TaskState.TASK_STATE_INPUT_REQUIRED, step.text);
            break;
          case "reject":
            publishStatus(TaskState.TASK_STATE_REJECTED, step.text);
            break;
          case "message":
            // A follow-up to an existing task cannot be answered with a bare message: complete the task instead.
            publishStatus(TaskState.TASK_STATE_COMPLETED, step.text);
            break;
        }
      }
    } finally {
      this.running.delete(taskId);
      // Only an INPUT_REQUIRED task can still be canceled once its steps are played.
      if (steps.at(-1)?.kind !== "input-required") this.contexts.delete(taskId);
      finish();
    }
  }
}

function defaultSteps(message: Message): ScenarioStep[] {
  const text = messageTextOf(message);
  return [{ kind: "working" }, { kind: "complete", text: text ? `Echo: ${text}` : "Echo: (no text)" }];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
