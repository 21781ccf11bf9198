# Everything that changes state besides deploy and rollback: approve, withdraw, deny, abort, promote, pause, resume,
# lock, unlock, freeze, unfreeze. Deckhand asks this package about every such verb, with the same input as a deploy
# (README, "Writing policies"). A verb this file does not know is refused: a new verb needs a rule here first.
package deckhand.actions

import data.deckhand.deploy
import data.deckhand.lib
import rego.v1

steering := {"abort", "promote", "pause", "resume"}

known := steering | {"approve", "withdraw", "deny", "lock", "unlock", "freeze", "unfreeze"}

# People are compared by their key (config `people`, or a platform id), never by display name.
own_deploy if {
	input.deploy_requester
	input.deploy_requester.id == input.requester.id
}

# Monitoring signals (Alertmanager, Sentry) abort as system actors with `api:` keys, which no chat account can have:
# an alert about a deploy in flight may stop it, and nothing else (signals never promote, lock or approve).
signal_sources := {"api:alertmanager", "api:sentry"}

monitoring_abort if {
	input.action == "abort"
	input.requester.id in signal_sources
}

# The groups whose approvals the deploy policy counts for this request.
eligible_approver if {
	some group in deploy.eligible
	lib.in_group(input.requester, group)
}

deny contains {"rule": "unknown_action", "message": msg} if {
	not input.action in known
	msg := sprintf("Deckhand's policy has no rule for %q yet, so it is refused.", [input.action])
}

deny contains {"rule": "actions_owner_or_oncall", "message": msg} if {
	input.action in (steering | {"lock", "unlock"})
	not lib.requester_is_owner
	not lib.requester_is_oncall
	not own_deploy
	not monitoring_abort
	msg := sprintf("Only on-call (%s) or the %s team may %s %s.", [lib.oncall_group, object.get(input, ["service", "team"], "owning"), input.action, input.request.service])
}

deny contains {"rule": "freeze_oncall_only", "message": msg} if {
	input.action in {"freeze", "unfreeze"}
	not lib.requester_is_oncall
	not lib.approvers_group in input.requester.groups
	msg := sprintf("Only on-call (%s) or %s may %s an environment.", [lib.oncall_group, lib.approvers_group, input.action])
}

# Four-eyes: nobody approves their own request, whatever their groups or accounts.
deny contains {"rule": "four_eyes", "message": msg} if {
	input.action == "approve"
	own_deploy
	msg := sprintf("You requested deploy #%s; someone else must approve it (four-eyes rule).", [input.request.deploy_id])
}

deny contains {"rule": "approver_not_eligible", "message": msg} if {
	input.action == "approve"
	not own_deploy
	not eligible_approver
	msg := sprintf("Your approval does not count for %s in %s: it needs approvals from %s.", [input.request.service, input.request.env, concat(", ", deploy.eligible)])
}

# A pending request is denied by an eligible approver, or withdrawn by whoever asked for it.
deny contains {"rule": "deny_not_eligible", "message": msg} if {
	input.action == "deny"
	not own_deploy
	not eligible_approver
	msg := sprintf("Only %s (or the requester) may deny deploy #%s.", [concat(", ", deploy.eligible), input.request.deploy_id])
}

default allow := false

allow if count(deny) == 0

decision := {
	"allow": allow,
	"deny": [d | some d in deny],
	"approvals": {"required": 0, "have": 0, "eligible": []},
}
