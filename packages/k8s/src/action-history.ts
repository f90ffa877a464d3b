/** Something the manager did to the cluster, kept for `GET /v1/k8s/status` and audits. */
export interface K8sAction {
  time: string;
  action:
    | "apply"
    | "scale"
    | "restart"
    | "replace-pod"
    | "reconcile"
    | "spawn-subagent"
    | "delete-subagent"
    | "error";
  target: string;
  outcome: "success" | "failure" | "skipped";
  detail?: string;
}

/** A bounded, newest-last history of actions. */
export class ActionHistory {
  private readonly items: K8sAction[] = [];
  constructor(private readonly limit = 200) {}

  record(entry: Omit<K8sAction, "time">): K8sAction {
    const action = { time: new Date().toISOString(), ...entry };
    this.items.push(action);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
    return action;
  }

  list(limit = 50): K8sAction[] {
    return this.items.slice(-limit);
  }
}
