/**
 * Field numbers of the Kubernetes protobuf messages the sim accepts from typed clients (k8s.io/api
 * generated.proto, core/v1, apps/v1, meta/v1). Only fields a client plausibly sets when creating these
 * objects are listed; unknown fields are dropped. `keepZero` marks Go pointer fields, where 0 is a value
 * (replicas: 0) rather than "unset".
 */
export type FieldType =
  | 'string'
  | 'int32'
  | 'int64'
  | 'bool'
  | 'Time'
  | 'IntOrString'
  | 'Quantity'
  | { message: string }
  | { map: 'string' | 'bytes' | { message: string } };

export interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
  keepZero?: boolean;
  /** A Go struct embedded with `json:",inline"`: its fields land in the parent object (IngressRule's http). */
  inline?: boolean;
}

type Message = Record<number, FieldSpec>;

const s = (name: string): FieldSpec => ({ name, type: 'string' });
const i32 = (name: string, keepZero = false): FieldSpec => ({ name, type: 'int32', keepZero });
const i64 = (name: string, keepZero = false): FieldSpec => ({ name, type: 'int64', keepZero });
const b = (name: string, keepZero = false): FieldSpec => ({ name, type: 'bool', keepZero });
const m = (name: string, message: string, repeated = false): FieldSpec => ({ name, type: { message }, repeated });
const strings = (name: string): FieldSpec => ({ name, type: 'string', repeated: true });
const stringMap = (name: string): FieldSpec => ({ name, type: { map: 'string' } });

export const MESSAGES: Record<string, Message> = {
  ObjectMeta: {
    1: s('name'), 2: s('generateName'), 3: s('namespace'), 5: s('uid'), 6: s('resourceVersion'), 7: i64('generation'),
    8: { name: 'creationTimestamp', type: 'Time' }, 11: stringMap('labels'), 12: stringMap('annotations'),
    13: m('ownerReferences', 'OwnerReference', true), 14: strings('finalizers'),
  },
  OwnerReference: { 1: s('kind'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: b('controller', true), 7: b('blockOwnerDeletion', true) },
  LabelSelector: { 1: stringMap('matchLabels'), 2: m('matchExpressions', 'LabelSelectorRequirement', true) },
  LabelSelectorRequirement: { 1: s('key'), 2: s('operator'), 3: strings('values') },

  Namespace: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'NamespaceSpec'), 3: m('status', 'NamespaceStatus') },
  NamespaceSpec: { 1: strings('finalizers') },
  NamespaceStatus: { 1: s('phase') },

  Service: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ServiceSpec'), 3: m('status', 'Empty') },
  ServiceSpec: {
    1: m('ports', 'ServicePort', true), 2: stringMap('selector'), 3: s('clusterIP'), 4: s('type'), 5: strings('externalIPs'),
    7: s('sessionAffinity'), 8: s('loadBalancerIP'), 10: s('externalName'), 11: s('externalTrafficPolicy'), 18: strings('clusterIPs'),
    19: strings('ipFamilies'), 17: s('ipFamilyPolicy'), 22: s('internalTrafficPolicy'),
  },
  ServicePort: { 1: s('name'), 2: s('protocol'), 3: i32('port'), 4: { name: 'targetPort', type: 'IntOrString' }, 5: i32('nodePort'), 6: s('appProtocol') },

  Pod: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec'), 3: m('status', 'Empty') },
  PodTemplateSpec: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  PodSpec: {
    1: m('volumes', 'Volume', true), 2: m('containers', 'Container', true), 3: s('restartPolicy'), 4: i64('terminationGracePeriodSeconds', true),
    5: i64('activeDeadlineSeconds', true), 6: s('dnsPolicy'), 7: stringMap('nodeSelector'), 8: s('serviceAccountName'), 10: s('nodeName'),
    11: b('hostNetwork'), 14: m('securityContext', 'Empty'), 15: m('imagePullSecrets', 'LocalObjectReference', true), 16: s('hostname'),
    17: s('subdomain'), 19: s('schedulerName'), 20: m('initContainers', 'Container', true), 21: b('automountServiceAccountToken', true),
    24: s('priorityClassName'), 25: i32('priority', true), 30: b('enableServiceLinks', true),
  },
  Container: {
    1: s('name'), 2: s('image'), 3: strings('command'), 4: strings('args'), 5: s('workingDir'), 6: m('ports', 'ContainerPort', true),
    7: m('env', 'EnvVar', true), 8: m('resources', 'ResourceRequirements'), 9: m('volumeMounts', 'VolumeMount', true),
    13: s('terminationMessagePath'), 14: s('imagePullPolicy'), 16: b('stdin'), 17: b('stdinOnce'), 18: b('tty'),
    20: s('terminationMessagePolicy'), 24: s('restartPolicy'),
  },
  ContainerPort: { 1: s('name'), 2: i32('hostPort'), 3: i32('containerPort'), 4: s('protocol'), 5: s('hostIP') },
  EnvVar: { 1: s('name'), 2: s('value') },
  ResourceRequirements: { 1: { name: 'limits', type: { map: { message: 'Quantity' } } }, 2: { name: 'requests', type: { map: { message: 'Quantity' } } } },
  VolumeMount: { 1: s('name'), 2: b('readOnly'), 3: s('mountPath'), 4: s('subPath') },
  Volume: { 1: s('name') },
  LocalObjectReference: { 1: s('name') },
  Empty: {},

  Deployment: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'DeploymentSpec'), 3: m('status', 'Empty') },
  DeploymentSpec: {
    1: i32('replicas', true), 2: m('selector', 'LabelSelector'), 3: m('template', 'PodTemplateSpec'), 4: m('strategy', 'DeploymentStrategy'),
    5: i32('minReadySeconds'), 6: i32('revisionHistoryLimit', true), 7: b('paused'), 9: i32('progressDeadlineSeconds', true),
  },
  DeploymentStrategy: { 1: s('type'), 2: m('rollingUpdate', 'RollingUpdateDeployment') },
  RollingUpdateDeployment: { 1: { name: 'maxUnavailable', type: 'IntOrString' }, 2: { name: 'maxSurge', type: 'IntOrString' } },

  SelfSubjectAccessReview: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'SelfSubjectAccessReviewSpec') },
  SelfSubjectAccessReviewSpec: { 1: m('resourceAttributes', 'ResourceAttributes'), 2: m('nonResourceAttributes', 'NonResourceAttributes') },
  ResourceAttributes: { 1: s('namespace'), 2: s('verb'), 3: s('group'), 4: s('version'), 5: s('resource'), 6: s('subresource'), 7: s('name') },
  NonResourceAttributes: { 1: s('path'), 2: s('verb') },

  ConfigMap: { 1: m('metadata', 'ObjectMeta'), 2: stringMap('data'), 3: { name: 'binaryData', type: { map: 'bytes' } }, 4: b('immutable', true) },

  Ingress: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'IngressSpec'), 3: m('status', 'Empty') },
  IngressSpec: { 1: m('defaultBackend', 'IngressBackend'), 2: m('tls', 'IngressTLS', true), 3: m('rules', 'IngressRule', true), 4: s('ingressClassName') },
  IngressTLS: { 1: strings('hosts'), 2: s('secretName') },
  IngressRule: { 1: s('host'), 2: { name: 'ingressRuleValue', type: { message: 'IngressRuleValue' }, inline: true } },
  IngressRuleValue: { 1: m('http', 'HTTPIngressRuleValue') },
  HTTPIngressRuleValue: { 1: m('paths', 'HTTPIngressPath', true) },
  HTTPIngressPath: { 1: s('path'), 2: m('backend', 'IngressBackend'), 3: s('pathType') },
  IngressBackend: { 3: m('resource', 'TypedLocalObjectReference'), 4: m('service', 'IngressServiceBackend') },
  IngressServiceBackend: { 1: s('name'), 2: m('port', 'ServiceBackendPort') },
  ServiceBackendPort: { 1: s('name'), 2: i32('number') },
  TypedLocalObjectReference: { 1: s('apiGroup'), 2: s('kind'), 3: s('name') },

  ReplicaSet: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ReplicaSetSpec'), 3: m('status', 'Empty') },
  ReplicaSetSpec: { 1: i32('replicas', true), 2: m('selector', 'LabelSelector'), 3: m('template', 'PodTemplateSpec'), 4: i32('minReadySeconds') },
};

/** Kinds whose protobuf bodies the sim decodes, keyed by `apiVersion/kind`. */
export const DECODABLE_KINDS: Record<string, string> = {
  'v1/Namespace': 'Namespace',
  'v1/Service': 'Service',
  'v1/Pod': 'Pod',
  'v1/ConfigMap': 'ConfigMap',
  'networking.k8s.io/v1/Ingress': 'Ingress',
  'apps/v1/Deployment': 'Deployment',
  'apps/v1/ReplicaSet': 'ReplicaSet',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'SelfSubjectAccessReview',
};
