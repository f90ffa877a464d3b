import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startServe, useServeCleanup, waitFor } from "./serve-helpers.js";

const TOKEN = "serve-crash-token-0123456789abcdef";
const headers = {
  authorization: `Bearer ${TOKEN}`,
  "A2A-Version": "1.0",
  "content-type": "application/json",
};
const { children, serveBox } = useServeCleanup("SIGKILL");

interface TaskJson {
  id: string;
  status: { state: string; message?: { parts: Array<{ text?: string }> } };
}

describe("codetether serve after kill -9 (built binary)", () => {
  it("fails the task that was running, ListTasks agrees, SubscribeToTask ends, temp files are cleaned", async () => {
    // The model never answers: the task stays WORKING until the process is killed.
    const { box, model, env } = await serveBox([{ type: "hang" }], {
      CODETETHER_AUTH_TOKEN: TOKEN,
      CODETETHER_COGNITION_ENABLED: "false",
    });
    const first = await startServe(["-m", "openai/gpt-4o"], env, box.work, children);
    const sent = await fetch(`${first.url}/a2a/rest/message:send`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        message: { messageId: randomUUID(), role: "ROLE_USER", parts: [{ text: "work forever" }] },
        configuration: { returnImmediately: true },
      }),
    });
    expect(sent.status).toBe(200);
    const { task } = (await sent.json()) as { task: TaskJson };
    const tasksDir = path.join(box.env.XDG_DATA_HOME as string, "codetether", "a2a", "tasks");
    await waitFor(() => model.requests.length > 0, 20_000, "the model to be asked");
    await waitFor(
      () => {
        try {
          const raw = JSON.parse(fs.readFileSync(path.join(tasksDir, `${task.id}.json`), "utf8"));
          return raw.task.status.state === "TASK_STATE_WORKING";
        } catch {
          return false;
        }
      },
      10_000,
      "the WORKING state on disk",
    );
    first.child.kill("SIGKILL");
    await first.exited;
    // An interrupted write leaves a temp file behind.
    const orphan = path.join(tasksDir, `.${task.id}.json.999999.0123456789ab.tmp`);
    fs.writeFileSync(orphan, "{partial");

    const second = await startServe(["-m", "openai/gpt-4o"], env, box.work, children);
    const got = await fetch(`${second.url}/a2a/rest/tasks/${task.id}`, { headers });
    expect(got.status).toBe(200);
    const after = (await got.json()) as TaskJson;
    expect(after.status.state).toBe("TASK_STATE_FAILED");
    expect(after.status.message?.parts[0]?.text).toMatch(/stopped unexpectedly.*Send the message again/);

    const listed = await fetch(`${second.url}/a2a/rest/tasks`, { headers });
    const list = (await listed.json()) as { tasks: TaskJson[] };
    expect(list.tasks.find((t) => t.id === task.id)?.status.state).toBe("TASK_STATE_FAILED");
    const working = await fetch(`${second.url}/a2a/rest/tasks?status=TASK_STATE_WORKING`, { headers });
    expect(((await working.json()) as { tasks: TaskJson[] }).tasks).toEqual([]);

    // SubscribeToTask answers and ends (the task is final), instead of hanging.
    const subscribe = await fetch(`${second.url}/a2a/rest/tasks/${task.id}:subscribe`, {
      method: "POST",
      headers,
      signal: AbortSignal.timeout(20_000),
    });
    const body = await subscribe.text();
    expect(body).toMatch(/terminal state|TASK_STATE_FAILED/);
    expect(fs.existsSync(orphan)).toBe(false);
  });
});
