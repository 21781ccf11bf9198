package deckhand.deploy_test

import data.deckhand.deploy
import rego.v1

# Wednesday 2026-11-18, 10:00 UTC: outside the weekly windows used below.
base := {
	"action": "deploy",
	"request": {"service": "api", "env": "production", "version": "v1.5.0", "strategy": "rolling", "dry_run": false},
	"requester": {"id": "alice", "name": "alice", "groups": ["payments"]},
	"service": {"name": "api", "team": "payments", "environments": ["staging", "production"]},
	"approvals": [],
	"freezes": [],
	"now": "2026-11-18T10:00:00Z",
}

bob := {"id": "bob", "name": "bob", "groups": ["approvers"]}

carol := {"id": "carol", "name": "carol", "groups": ["approvers", "oncall"]}

with_approvals(approvals) := object.union(base, {"approvals": approvals})

test_production_needs_one_approval if {
	d := deploy.decision with input as base
	not d.allow
	d.deny == []
	d.approvals == {"required": 1, "have": 0, "eligible": ["approvers"]}
}

test_staging_needs_no_approval if {
	d := deploy.decision with input as object.union(base, {"request": object.union(base.request, {"env": "staging"})})
	d.allow
	d.approvals.required == 0
}

test_approver_approval_allows if {
	d := deploy.decision with input as with_approvals([bob])
	d.allow
	d.approvals.have == 1
}

test_self_approval_never_counts if {
	me := {"id": "alice", "name": "alice", "groups": ["approvers", "payments"]}
	d := deploy.decision with input as with_approvals([me])
	not d.allow
	d.approvals.have == 0
}

test_approval_outside_group_not_counted if {
	dave := {"id": "dave", "name": "dave", "groups": ["payments"]}
	d := deploy.decision with input as with_approvals([dave])
	not d.allow
	d.approvals.have == 0
}

test_non_owner_refused if {
	erin := {"id": "erin", "name": "erin", "groups": ["storefront"]}
	d := deploy.decision with input as object.union(base, {"requester": erin})
	not d.allow
	[r.rule | some r in d.deny] == ["owner_only"]
}

test_oncall_may_deploy_any_service if {
	oncall := {"id": "carol", "name": "carol", "groups": ["oncall"]}
	d := deploy.decision with input as object.union(base, {"requester": oncall, "approvals": [bob]})
	d.allow
}

test_per_group_counts if {
	sre1 := {"id": "s1", "name": "s1", "groups": ["sre"]}
	sre2 := {"id": "s2", "name": "s2", "groups": ["sre"]}
	owner := {"id": "dave", "name": "dave", "groups": ["payments"]}
	rules := {"api": {"production": {"sre": 2, "owners": 1}}}
	short := deploy.decision with input as with_approvals([sre1, owner]) with data.deckhand.config.service_approvals as rules
	not short.allow
	short.approvals == {"required": 3, "have": 2, "eligible": ["owners", "sre"]}
	enough := deploy.decision with input as with_approvals([sre1, sre2, owner]) with data.deckhand.config.service_approvals as rules
	enough.allow
}

frozen := object.union(base, {"freezes": [{"env": "production", "from": "2026-11-18T09:00:00Z", "until": "2026-11-18T18:00:00Z", "reason": "sale", "by": "carol"}]})

test_freeze_denies if {
	d := deploy.decision with input as object.union(frozen, {"approvals": [bob]})
	not d.allow
	[r.rule | some r in d.deny] == ["freeze"]
}

test_freeze_over_does_not_deny if {
	d := deploy.decision with input as object.union(frozen, {"approvals": [bob], "now": "2026-11-18T19:00:00Z"})
	d.allow
}

test_hotfix_during_freeze_needs_two_approvals if {
	hotfix := object.union(frozen, {"request": object.union(base.request, {"reason": "payment outage"})})
	one := deploy.decision with input as object.union(hotfix, {"approvals": [bob]})
	not one.allow
	one.deny == []
	one.approvals.required == 2
	one.approvals.have == 1
	two := deploy.decision with input as object.union(hotfix, {"approvals": [bob, carol]})
	two.allow
}

test_weekly_freeze_from_data if {
	weekly := [{"envs": ["production"], "days": ["Wednesday"], "from": "09:00", "until": "17:00", "reason": "release review day"}]
	d := deploy.decision with input as with_approvals([bob]) with data.deckhand.config.freezes.weekly as weekly
	[r.rule | some r in d.deny] == ["freeze"]
	later := deploy.decision with input as object.union(with_approvals([bob]), {"now": "2026-11-18T17:30:00Z"}) with data.deckhand.config.freezes.weekly as weekly
	later.allow
}

test_canary_first_step_capped if {
	canary := object.union(base, {"approvals": [bob], "request": object.union(base.request, {"strategy": "canary", "percent": 50})})
	d := deploy.decision with input as canary
	[r.rule | some r in d.deny] == ["canary_first_step"]
	ok := deploy.decision with input as object.union(canary, {"request": object.union(canary.request, {"percent": 5})})
	ok.allow
}

test_open_ended_freeze_window_from_data if {
	d := deploy.decision with input as base with data.deckhand.config.freezes.windows as [{"envs": ["production"], "from": "2026-11-01T00:00:00Z", "reason": "migration"}]
	d.deny[_].rule == "freeze"
}
