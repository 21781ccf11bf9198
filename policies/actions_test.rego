package deckhand.actions_test

import data.deckhand.actions
import rego.v1

# A production deploy by alice (payments), awaiting one approval from approvers.
pending := {
	"action": "approve",
	"request": {"service": "api", "env": "production", "version": "v1.5.0", "strategy": "rolling", "dry_run": false, "deploy_id": "7"},
	"deploy_requester": {"id": "alice", "name": "alice", "groups": ["payments"]},
	"service": {"name": "api", "team": "payments", "environments": ["staging", "production"]},
	"approvals": [],
	"freezes": [],
	"now": "2026-11-18T10:00:00Z",
}

asking(action, requester) := object.union(pending, {"action": action, "requester": requester})

alice := {"id": "alice", "name": "alice", "groups": ["payments", "approvers"]}

# Same display name, another person: names never decide.
alice_impostor := {"id": "discord:100000000000000009", "name": "alice", "groups": []}

bob := {"id": "bob", "name": "bob", "groups": ["approvers"]}

carol := {"id": "carol", "name": "carol", "groups": ["oncall"]}

mallory := {"id": "slack:U0MALLORY", "name": "mallory", "groups": []}

test_approver_may_approve if actions.decision.allow with input as asking("approve", bob)

test_requester_may_not_approve_own_deploy_even_as_approver if {
	d := actions.decision with input as asking("approve", alice)
	not d.allow
	d.deny[_].rule == "four_eyes"
}

test_stranger_may_not_approve if {
	d := actions.decision with input as asking("approve", alice_impostor)
	d.deny[_].rule == "approver_not_eligible"
}

test_requester_may_deny_own_request if actions.decision.allow with input as asking("deny", alice)

test_stranger_may_not_deny if {
	d := actions.decision with input as asking("deny", mallory)
	d.deny[_].rule == "deny_not_eligible"
}

test_anyone_may_withdraw_their_own_vote if actions.decision.allow with input as asking("withdraw", mallory)

test_stranger_may_not_promote if {
	d := actions.decision with input as asking("promote", mallory)
	d.deny[_].rule == "actions_owner_or_oncall"
}

test_oncall_may_pause if actions.decision.allow with input as asking("pause", carol)

test_requester_may_abort_own_deploy if actions.decision.allow with input as asking("abort", object.union(alice, {"groups": []}))

alertmanager := {"id": "api:alertmanager", "name": "Alertmanager", "groups": []}

test_alertmanager_may_abort if actions.decision.allow with input as asking("abort", alertmanager)

test_alertmanager_may_not_promote if {
	d := actions.decision with input as asking("promote", alertmanager)
	d.deny[_].rule == "actions_owner_or_oncall"
}

# A chat account that only looks like a signal (same name) is nobody special.
test_signal_name_is_not_a_signal if {
	d := actions.decision with input as asking("abort", object.union(mallory, {"name": "Alertmanager"}))
	d.deny[_].rule == "actions_owner_or_oncall"
}

test_unknown_verb_is_refused if {
	d := actions.decision with input as asking("teleport", carol)
	d.deny[_].rule == "unknown_action"
}

test_freeze_needs_oncall_or_approvers if {
	d := actions.decision with input as asking("freeze", mallory)
	d.deny[_].rule == "freeze_oncall_only"
}
