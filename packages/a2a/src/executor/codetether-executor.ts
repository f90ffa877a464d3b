import type { Message } from "@a2a-js/sdk";
import { TaskState } from "@a2a-js/sdk";
import {
  type AgentExecutor,
  AgentEvent as BusEvent,
  type ExecutionEventBus,
  type RequestContext,
} from "@a2a-js/sdk/server";
import type { Agent, UserQuestion } from "@codetether/core";
import { ArtifactStreamer } from "./artifact-streamer.js";
import { agentMessage, partsToContent } from "./parts.js";
import { publishCanceled, submittedTask, taskStatus } from "./task-events.js";

/** What the executor needs to start an agent for one task. */
export interface AgentRunRequest {
  taskId: string;
  contextId: string;
  /** Aborted on CancelTask or shutdown; pass it to nothing else — the executor owns it. */
  signal: AbortSignal;
  /** Tools call this to ask the A2A client a question: the task goes to INPUT_REQUIRED until answered. */
  ask: (question: UserQuestion) => Promise<string>;
}

export type AgentFactory = (request: AgentRunRequest) => Agent | Promise<Agent>;

export interface CodetetherExecutorOptions {
  createAgent: AgentFactory;
  /** Tool names whose results are file changes (streamed as `file-change` artifacts). */
  fileChangeTools?: string[];
  /**
   * The workspace the agent works in: paths under it in file-change artifacts are made relative to it, so
   * clients never see the server's directories.
   */
  workspace?: string;
}

interface Running {
  controller: AbortController;
  bus: ExecutionEventBus;
  contextId: string;
  /** Resolves the tool waiting for an answer, if the task is INPUT_REQUIRED. */
  answer?: (text: string) => void;
  canceled: boolean;
  done: Promise<void>;
  /** Resolves when the run reaches a terminal or interrupted state (for follow-up execute calls). */
  settled: () => Promise<void>;
}

const DEFAULT_FILE_TOOLS = ["write", "edit", "multiedit", "patch", "apply_patch"];

/**
 * Runs the codetether agent loop for each A2A task: SUBMITTED → WORKING → text and file-change
 * artifacts → COMPLETED / FAILED / CANCELED, with INPUT_REQUIRED when a tool asks the client a question.
 * Cancel aborts the run through its AbortController.
 */
export class CodetetherExecutor implements AgentExecutor {
  private readonly running = new Map<string, Running>();
  private readonly fileTools: Set<string>;

  constructor(private readonly options: CodetetherExecutorOptions) {
    this.fileTools = new Set(options.fileChangeTools ?? DEFAULT_FILE_TOOLS);
  }

  /** Ids of tasks whose agent run is still in progress. */
  activeTaskIds(): string[] {
    return [...this.running.keys()];
  }

  execute = async (ctx: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId } = ctx;
    const userMessage = ctx.userMessage;
    const existing = ctx.task;
    const current = this.running.get(taskId);

    if (existing && current?.answer) {
      // Follow-up to a question: resume the waiting run on this request's bus.
      current.bus = bus;
      bus.publish(BusEvent.task({ ...existing, status: taskStatus(TaskState.TASK_STATE_WORKING) }));
      const answer = current.answer;
      current.answer = undefined;
      answer(
        partsToContent(userMessage.parts)
          .map((p) => (p.type === "text" ? p.text : ""))
          .join("\n"),
      );
      await current.settled();
      return;
    }

    bus.publish(BusEvent.task(submittedTask(ctx)));
    await this.run(ctx, bus);
  };

  cancelTask = async (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const run = this.running.get(taskId);
    const contextId = run?.contextId ?? "";
    if (run) {
      run.canceled = true;
      run.controller.abort(new Error("canceled by the A2A client"));
    }
    publishCanceled(bus, taskId, contextId);
    await run?.done.catch(() => {});
  };

  /** Aborts every running task (server shutdown) and waits for the runs to stop. */
  async abortAll(reason = "server shutdown"): Promise<string[]> {
    const ids = [...this.running.keys()];
    for (const run of this.running.values()) {
      run.canceled = true;
      run.controller.abort(new Error(reason));
    }
    await Promise.all([...this.running.values()].map((r) => r.done.catch(() => {})));
    return ids;
  }

  private async run(ctx: RequestContext, firstBus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId } = ctx;
    const controller = new AbortController();
    let settleWaiters: Array<() => void> = [];
    const notifySettled = () => {
      const waiters = settleWaiters;
      settleWaiters = [];
      for (const w of waiters) w();
    };
    const entry: Running = {
      controller,
      bus: firstBus,
      contextId,
      canceled: false,
      done: Promise.resolve(),
      settled: () => new Promise<void>((resolve) => settleWaiters.push(resolve)),
    };
    const publishStatus = (state: TaskState, message?: Message) =>
      entry.bus.publish(
        BusEvent.statusUpdate({ taskId, contextId, status: taskStatus(state, message), metadata: undefined }),
      );

    const ask = (question: UserQuestion): Promise<string> =>
      new Promise<string>((resolve, reject) => {
        const options = question.options?.length ? `\nOptions: ${question.options.join(" | ")}` : "";
        entry.answer = resolve;
        controller.signal.addEventListener("abort", () => reject(new Error("task canceled")), { once: true });
        publishStatus(
          TaskState.TASK_STATE_INPUT_REQUIRED,
          agentMessage(`${question.question}${options}`, taskId, contextId),
        );
        notifySettled();
      });

    this.running.set(taskId, entry);
    let resolveDone!: () => void;
    entry.done = new Promise<void>((r) => {
      resolveDone = r;
    });
    try {
      publishStatus(TaskState.TASK_STATE_WORKING);
      const agent = await this.options.createAgent({ taskId, contextId, signal: controller.signal, ask });
      const input = partsToContent(ctx.userMessage.parts);
      const streamer = new ArtifactStreamer(() => entry.bus, taskId, contextId, this.options.workspace);
      for await (const event of agent.run(input.length ? input : "(empty message)", {
        signal: controller.signal,
      })) {
        if (entry.canceled) break;
        if (event.type === "text-delta") streamer.text(event.text);
        if (event.type === "tool-end" && this.fileTools.has(event.tool) && !event.result.isError) {
          streamer.fileChange(event.tool, event.callId, event.result);
        }
        if (event.type === "done") {
          streamer.finish();
          publishStatus(
            TaskState.TASK_STATE_COMPLETED,
            agentMessage(event.text || "(no text)", taskId, contextId),
          );
        } else if (event.type === "error" && !entry.canceled) {
          streamer.finish();
          publishStatus(
            event.kind === "aborted" ? TaskState.TASK_STATE_CANCELED : TaskState.TASK_STATE_FAILED,
            agentMessage(event.message, taskId, contextId),
          );
        }
      }
    } catch (err) {
      if (!entry.canceled) {
        publishStatus(
          TaskState.TASK_STATE_FAILED,
          agentMessage(`Agent failed: ${(err as Error).message}`, taskId, contextId),
        );
      }
    } finally {
      this.running.delete(taskId);
      notifySettled();
      resolveDone();
    }
  }
}
