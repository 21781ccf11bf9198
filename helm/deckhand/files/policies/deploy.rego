# Who may deploy what, and how many approvals it takes. Decision contract: see README "Writing policies".
package deckhand.deploy

import data.deckhand.lib
import rego.v1

# Approvals required, as {group: count}: per service and environment if set, else per environment.
# "owners" means the service's owning team. Example data: {"approvals": {"production": {"approvers": 1}},
# "service_approvals": {"api": {"production": {"sre": 2, "owners": 1}}}}.
env_requirements := object.get(object.get(lib.settings, "approvals", {}), input.request.env, {})

service_requirements := object.get(lib.settings, ["service_approvals", input.service.name, input.request.env], null)

requirements := service_requirements if service_requirements != null
else := env_requirements

hotfix_approvals := object.get(lib.settings, "hotfix_approvals", 2)

max_first_step := object.get(lib.settings, ["canary", "max_first_step"], 25)

# Four-eyes: the requester never counts, whatever their groups.
approvers_in(group) := {a.id |
	some a in input.approvals
	a.id != input.requester.id
	lib.in_group(a, group)
}

missing[group] := n - have if {
	some group, n in requirements
	have := count(approvers_in(group))
	have < n
}

hotfix_needed if {
	lib.frozen
	lib.hotfix
}

# A hotfix during a freeze needs `hotfix_approvals` distinct approvers from any required group or approvers.
hotfix_groups := {g | some g, _ in requirements} | {lib.approvers_group}

hotfix_counted := {id | some g in hotfix_groups; some id in approvers_in(g)}

base_required := sum([n | some _, n in requirements])

base_have := sum([min([count(approvers_in(g)), n]) | some g, n in requirements])

required := max([base_required, hotfix_approvals]) if hotfix_needed
else := base_required

have := min([count(hotfix_counted), required]) if hotfix_needed
else := base_have

eligible := sort([g | some g in hotfix_groups]) if hotfix_needed
else := sort([g | some g, _ in requirements])

approvals_met if {
	count(missing) == 0
	not hotfix_short
}

hotfix_short if {
	hotfix_needed
	count(hotfix_counted) < hotfix_approvals
}

deny contains {"rule": "unknown_service", "message": sprintf("%s is not a service Deckhand knows.", [input.request.service])} if {
	not input.service
}

deny contains {"rule": "owner_only", "message": msg} if {
	input.service
	not lib.requester_is_owner
	not lib.requester_is_oncall
	msg := sprintf("Only the %s team or on-call (%s) may deploy %s.", [input.service.team, lib.oncall_group, input.service.name])
}

deny contains {"rule": "freeze", "message": msg} if {
	lib.frozen
	not lib.hotfix
	msg := sprintf("%s is frozen (%s). For a hotfix, say why with --reason \"…\"; it will need %d approvals.", [input.request.env, lib.freeze_text, hotfix_approvals])
}

deny contains {"rule": "canary_first_step", "message": msg} if {
	input.request.strategy == "canary"
	input.request.percent > max_first_step
	msg := sprintf("A canary starts at %d%% at most; you asked for %d%%. Start lower, e.g. canary %d%%.", [max_first_step, input.request.percent, max_first_step])
}

default allow := false

allow if {
	count(deny) == 0
	approvals_met
}

decision := {
	"allow": allow,
	"deny": [d | some d in deny],
	"approvals": {"required": required, "have": have, "eligible": eligible},
}
