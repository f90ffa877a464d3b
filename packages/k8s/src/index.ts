export { ActionHistory, type K8sAction } from "./action-history.js";
export { K8sError, type K8sErrorKind, toK8sError } from "./k8s-error.js";
export { createK8sIntegration, type K8sIntegration, type K8sIntegrationOptions } from "./k8s-integration.js";
export {
  FIELD_MANAGER,
  K8sManager,
  type K8sStatus,
  type PodSummary,
  RESTART_ANNOTATION,
} from "./k8s-manager.js";
export { createK8sRouter } from "./k8s-router.js";
export { K8S_MOUNT_PATH, K8S_ROUTES } from "./k8s-routes.js";
export {
  type ClusterMode,
  type DetectOptions,
  detectCluster,
  type K8sSettings,
  SERVICE_ACCOUNT_DIR,
} from "./k8s-settings.js";
export { createKubeClients, type KubeClients } from "./kube-clients.js";
export { LeaseElector, type LeaseElectorOptions } from "./leader-election.js";
export { assessPod, DEFAULT_HEALTH_POLICY, type HealthPolicy, type PodHealth } from "./pod-health.js";
export { type ReconcileReport, Reconciler, type ReconcilerOptions } from "./reconciler.js";
export {
  type AppliedObject,
  type ApplyOutcome,
  DEPLOY_SPEC_ANNOTATION,
  type DeleteResult,
  type DeployOptions,
  deploySelf,
  removeSelf,
  restoreSelfObjects,
} from "./self-deployment.js";
export {
  APP_LABEL,
  applyOrder,
  buildManifests,
  ROLE_LABEL,
  renderSelfDeployment,
  type SelfDeploymentInput,
  type SelfDeploymentObjects,
  type SelfDeploymentSpec,
  SelfDeploymentSpecSchema,
} from "./self-deployment-spec.js";
export { readSelfStatus, type SelfStatus, toYamlStream } from "./self-status.js";
export {
  SUBAGENT_ID_LABEL,
  SubagentPods,
  type SubagentRequest,
  SubagentRequestSchema,
  type SubagentStatus,
} from "./subagent-pods.js";
