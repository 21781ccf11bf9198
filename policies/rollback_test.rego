package deckhand.rollback_test

import data.deckhand.rollback
import rego.v1

base := {
	"action": "rollback",
	"request": {"service": "api", "env": "production", "dry_run": false},
	"requester": {"id": "carol", "name": "carol", "groups": ["oncall"]},
	"service": {"name": "api", "team": "payments", "environments": ["staging", "production"]},
	"approvals": [],
	"freezes": [{"env": "production", "from": "2026-11-18T09:00:00Z", "reason": "sale", "by": "carol"}],
	"now": "2026-11-18T10:00:00Z",
}

test_oncall_rolls_back_even_in_a_freeze if {
	d := rollback.decision with input as base
	d.allow
	d.approvals.required == 0
}

test_owner_may_not_roll_back_during_a_freeze if {
	d := rollback.decision with input as object.union(base, {"requester": {"id": "alice", "name": "alice", "groups": ["payments"]}})
	[r.rule | some r in d.deny] == ["rollback_freeze"]
}

test_owner_rolls_back_outside_a_freeze if {
	d := rollback.decision with input as object.union(base, {"freezes": [], "requester": {"id": "alice", "name": "alice", "groups": ["payments"]}})
	d.allow
}

test_stranger_refused if {
	d := rollback.decision with input as object.union(base, {"requester": {"id": "erin", "name": "erin", "groups": ["storefront"]}})
	not d.allow
}
