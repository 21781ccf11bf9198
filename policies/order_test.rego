# Version order (input.versions) and environment order (input.promotion) in the deploy policy.
package deckhand.order_test

import data.deckhand.deploy
import data.deckhand.lib
import data.deckhand.rollback
import rego.v1

base := {
	"action": "deploy",
	"request": {"service": "api", "env": "staging", "version": "v1.5.1", "strategy": "rolling", "dry_run": false},
	"requester": {"id": "alice", "name": "alice", "groups": ["payments"]},
	"service": {"name": "api", "team": "payments", "environments": ["staging", "production"]},
	"approvals": [],
	"freezes": [],
	"now": "2026-11-18T10:00:00Z",
	"versions": {"running": "v1.5.3", "requested": "v1.5.1", "comparison": "downgrade", "prerelease": false},
	"promotion": null,
}

bob := {"id": "bob", "name": "bob", "groups": ["approvers"]}

carol := {"id": "carol", "name": "carol", "groups": ["approvers", "oncall"]}

with_request(fields) := object.union(base, {"request": object.union(base.request, fields)})

in_production(fields) := object.union(with_request({"env": "production"}), fields)

rules(d) := {r.rule | some r in d.deny}

# --- downgrades --------------------------------------------------------------------------------------------------

test_downgrade_without_reason_is_refused_with_the_way_back if {
	d := deploy.decision with input as base
	not d.allow
	rules(d) == {"downgrade"}
	[r] := d.deny
	contains(r.message, "v1.5.3 → v1.5.1 is a downgrade of api in staging")
	contains(r.message, "--reason")
	contains(r.message, "/rollback api staging to v1.5.1")
}

test_downgrade_with_reason_needs_one_approval_even_where_none_is_configured if {
	d := deploy.decision with input as with_request({"reason": "v1.5.3 corrupts carts"})
	not d.allow
	d.deny == []
	d.approvals == {"required": 1, "have": 0, "eligible": ["approvers"]}
}

test_downgrade_with_reason_and_an_approval_is_allowed if {
	d := deploy.decision with input as object.union(with_request({"reason": "v1.5.3 corrupts carts"}), {"approvals": [bob]})
	d.allow
	d.approvals.have == 1
}

test_downgrade_approval_by_the_requester_does_not_count if {
	me := {"id": "alice", "name": "alice", "groups": ["approvers", "payments"]}
	d := deploy.decision with input as object.union(with_request({"reason": "bad"}), {"approvals": [me]})
	not d.allow
	d.approvals.have == 0
}

test_downgrade_in_production_needs_no_more_than_production_already_does if {
	d := deploy.decision with input as in_production({"request": object.union(base.request, {"env": "production", "reason": "bad"})})
	d.deny == []
	d.approvals.required == 1
}

test_downgrade_approvals_follow_data if {
	d := deploy.decision with input as with_request({"reason": "bad"})
		with data.deckhand.config.versions.downgrade_approvals as 2
	d.approvals == {"required": 2, "have": 0, "eligible": ["approvers"]}
}

test_upgrade_same_and_unknown_need_nothing_more if {
	some comparison in ["upgrade", "same", "unknown"]
	d := deploy.decision with input as object.union(base, {"versions": object.union(base.versions, {"comparison": comparison})})
	d.allow
	d.approvals.required == 0
}

test_no_versions_in_input_changes_nothing if {
	d := deploy.decision with input as object.remove(base, ["versions", "promotion"])
	d.allow
}

test_rollback_is_never_a_downgrade if {
	d := rollback.decision with input as object.union(base, {"action": "rollback"})
	d.allow
	d.deny == []
}

# --- pre-releases ------------------------------------------------------------------------------------------------

rc := {"running": "v1.5.0", "requested": "v1.6.0-rc.1", "comparison": "prerelease", "prerelease": true}

test_prerelease_refused_in_production_even_as_a_hotfix if {
	d := deploy.decision with input as in_production({
		"request": object.union(base.request, {"env": "production", "version": "v1.6.0-rc.1", "reason": "urgent"}),
		"versions": rc,
		"approvals": [bob, carol],
	})
	not d.allow
	rules(d) == {"prerelease"}
	[r] := d.deny
	r.message == "v1.6.0-rc.1 is a pre-release, and pre-releases are kept out of production. Try it in staging; production takes a release (a version without a -suffix)."
}

test_prerelease_allowed_in_staging if {
	d := deploy.decision with input as object.union(with_request({"version": "v1.6.0-rc.1"}), {"versions": rc})
	d.allow
}

test_prerelease_environments_follow_data if {
	d := deploy.decision with input as object.union(with_request({"version": "v1.6.0-rc.1"}), {"versions": rc})
		with data.deckhand.config.versions.no_prerelease_in as ["staging", "production"]
	rules(d) == {"prerelease"}
}

# --- environment order ------------------------------------------------------------------------------------------

upgrade := {"running": "v1.4.0", "requested": "v1.5.0", "comparison": "upgrade", "prerelease": false}

promotion(fields) := object.union({
	"after": "staging", "needed_seconds": 1800, "ran": false, "satisfied": false, "still_running": false,
	"ran_at": null, "soaked_seconds": null, "deploy_id": null, "matched_by": null,
}, fields)

to_production(p) := in_production({
	"request": object.union(base.request, {"env": "production", "version": "v1.5.0"}),
	"versions": upgrade, "approvals": [bob], "promotion": p,
})

test_order_refused_until_it_ran_in_the_earlier_environment if {
	d := deploy.decision with input as to_production(promotion({}))
	not d.allow
	[r] := d.deny
	r.rule == "environment_order"
	r.message == "api v1.5.0 has not succeeded in staging yet, and production takes only what ran there first. Deploy it there first: /deploy api v1.5.0 to staging"
}

test_order_soak_says_how_long_to_wait if {
	p := promotion({"ran": true, "still_running": true, "ran_at": "2026-11-18T09:42:00Z", "soaked_seconds": 1080, "deploy_id": "3", "matched_by": "version"})
	d := deploy.decision with input as to_production(p)
	[r] := d.deny
	r.rule == "environment_soak"
	r.message == "api v1.5.0 has run in staging for 18 minutes; production takes it after 30 minutes there: wait 12 minutes more."
}

test_order_soak_cut_short_asks_for_another_run if {
	p := promotion({"ran": true, "still_running": false, "ran_at": "2026-11-18T08:00:00Z", "soaked_seconds": 300, "deploy_id": "3", "matched_by": "digest"})
	d := deploy.decision with input as to_production(p)
	[r] := d.deny
	r.rule == "environment_soak"
	contains(r.message, "ran in staging for only 5 minutes before something else replaced it")
	endswith(r.message, "Deploy it there again: /deploy api v1.5.0 to staging")
}

test_order_satisfied_allows if {
	p := promotion({"ran": true, "satisfied": true, "still_running": true, "ran_at": "2026-11-18T09:00:00Z", "soaked_seconds": 3600, "deploy_id": "3", "matched_by": "version"})
	d := deploy.decision with input as to_production(p)
	d.allow
}

test_order_is_not_waived_by_a_reason if {
	d := deploy.decision with input as object.union(to_production(promotion({})), {"request": object.union(base.request, {"env": "production", "version": "v1.5.0", "reason": "urgent"})})
	rules(d) == {"environment_order"}
}

test_rollback_ignores_environment_order if {
	d := rollback.decision with input as object.union(to_production(promotion({})), {"action": "rollback"})
	d.allow
}

# --- messages ------------------------------------------------------------------------------------------------------

test_durations_said_rounded_down_and_waits_rounded_up if {
	lib.duration_text(1) == "1 second"
	lib.duration_text(45) == "45 seconds"
	lib.duration_text(720) == "12 minutes"
	lib.duration_text(779) == "12 minutes"
	lib.duration_text(7530) == "2 hours 5 minutes"
	lib.wait_text(90) == "90 seconds"
	lib.wait_text(717) == "12 minutes"
	lib.wait_text(721) == "13 minutes"
}

test_soak_message_rounds_what_ran_down_and_the_wait_up if {
	p := promotion({"ran": true, "still_running": true, "ran_at": "2026-11-18T09:42:00Z", "soaked_seconds": 1083, "deploy_id": "3", "matched_by": "version"})
	d := deploy.decision with input as to_production(p)
	[r] := d.deny
	r.message == "api v1.5.0 has run in staging for 18 minutes; production takes it after 30 minutes there: wait 12 minutes more."
}
