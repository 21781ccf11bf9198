# Image signatures (input.image) in the deploy policy.
package deckhand.signature_test

import data.deckhand.deploy
import rego.v1

digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

signed := {"digest": digest, "signed": true, "signer": {"identity": "https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main", "issuer": "https://token.actions.githubusercontent.com"}, "reason": null}

unsigned := {"digest": digest, "signed": false, "signer": null, "reason": "no cosign signature is attached to it"}

base := {
	"action": "deploy",
	"request": {"service": "api", "env": "production", "version": "v1.5.2", "strategy": "rolling", "dry_run": false},
	"requester": {"id": "alice", "name": "alice", "groups": ["payments"]},
	"service": {"name": "api", "team": "payments", "environments": ["staging", "production"]},
	"approvals": [{"id": "bob", "name": "bob", "groups": ["approvers"]}],
	"freezes": [],
	"now": "2026-11-18T10:00:00Z",
}

with_image(img) := object.union(base, {"image": img})

rules(d) := {r.rule | some r in d.deny}

test_signed_image_goes_to_production if {
	d := deploy.decision with input as with_image(signed)
	d.allow
	d.deny == []
}

test_unsigned_image_is_refused_in_production_naming_service_version_and_reason if {
	d := deploy.decision with input as with_image(unsigned)
	not d.allow
	rules(d) == {"image_signature"}
	[r] := d.deny
	r.message == "api v1.5.2 cannot go to production: its image sha256:0123456789ab is not validly signed: no cosign signature is attached to it. Only signed images go to production, with or without --reason; sign it with cosign and ask again."
}

test_hotfix_reason_does_not_waive_the_signature if {
	inp := object.union(with_image(unsigned), {"request": object.union(base.request, {"reason": "payments are down"})})
	d := deploy.decision with input as inp
	not d.allow
	"image_signature" in rules(d)
}

test_unsigned_image_may_go_to_staging if {
	inp := object.union(with_image(unsigned), {"request": object.union(base.request, {"env": "staging"}), "approvals": []})
	d := deploy.decision with input as inp
	d.allow
}

test_an_image_not_built_yet_is_judged_at_the_gate_after_its_build if {
	d := deploy.decision with input as with_image({"digest": null, "signed": false, "signer": null, "reason": "not built yet"})
	d.allow
}

test_a_service_without_signature_policy_is_not_held_by_it if {
	d := deploy.decision with input as base
	d.allow
}

test_the_environments_that_require_signatures_come_from_data if {
	inp := object.union(with_image(unsigned), {"request": object.union(base.request, {"env": "staging"}), "approvals": []})
	d := deploy.decision with input as inp with data.deckhand.config.signatures.required_in as ["staging", "production"]
	rules(d) == {"image_signature"}
}
