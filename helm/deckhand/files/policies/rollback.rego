# Rollback is the safe way back: on-call may always roll back, without approvals, even during a freeze.
# The owning team may roll back without approvals outside freezes.
package deckhand.rollback

import data.deckhand.lib
import rego.v1

deny contains {"rule": "unknown_service", "message": sprintf("%s is not a service Deckhand knows.", [input.request.service])} if {
	not input.service
}

deny contains {"rule": "rollback_owner_or_oncall", "message": msg} if {
	input.service
	not lib.requester_is_owner
	not lib.requester_is_oncall
	msg := sprintf("Only on-call (%s) or the %s team may roll back %s.", [lib.oncall_group, input.service.team, input.service.name])
}

deny contains {"rule": "rollback_freeze", "message": msg} if {
	input.service
	lib.frozen
	not lib.requester_is_oncall
	lib.requester_is_owner
	msg := sprintf("%s is frozen (%s); during a freeze only on-call (%s) may roll back.", [input.request.env, lib.freeze_text, lib.oncall_group])
}

default allow := false

allow if count(deny) == 0

decision := {
	"allow": allow,
	"deny": [d | some d in deny],
	"approvals": {"required": 0, "have": 0, "eligible": []},
}
