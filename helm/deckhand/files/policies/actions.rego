# Everything else that changes state: abort, promote, pause, resume, lock, unlock, freeze, unfreeze.
# The owning team and on-call may; a deploy's requester may steer their own deploy.
package deckhand.actions

import data.deckhand.lib
import rego.v1

steering := {"abort", "promote", "pause", "resume"}

own_deploy if {
	input.action in steering
	input.deploy_requester.id == input.requester.id
}

deny contains {"rule": "actions_owner_or_oncall", "message": msg} if {
	input.action in {"abort", "promote", "pause", "resume", "lock", "unlock"}
	not lib.requester_is_owner
	not lib.requester_is_oncall
	not own_deploy
	msg := sprintf("Only on-call (%s) or the %s team may %s %s.", [lib.oncall_group, object.get(input, ["service", "team"], "owning"), input.action, input.request.service])
}

deny contains {"rule": "freeze_oncall_only", "message": msg} if {
	input.action in {"freeze", "unfreeze"}
	not lib.requester_is_oncall
	not lib.approvers_group in input.requester.groups
	msg := sprintf("Only on-call (%s) or %s may %s an environment.", [lib.oncall_group, lib.approvers_group, input.action])
}

default allow := false

allow if count(deny) == 0

decision := {
	"allow": allow,
	"deny": [d | some d in deny],
	"approvals": {"required": 0, "have": 0, "eligible": []},
}
