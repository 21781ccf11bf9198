# Who may deploy what, and how many approvals it takes. Decision contract: see README "Writing policies".
package deckhand.deploy

import data.deckhand.lib
import rego.v1

# Approvals required, as {group: count}: per service and environment if set, else per environment.
# "owners" means the service's owning team. Example data: {"approvals": {"production": {"approvers": 1}},
# "service_approvals": {"api": {"production": {"sre": 2, "owners": 1}}}}.
env_requirements := object.get(object.get(lib.settings, "approvals", {}), input.request.env, {})

service_requirements := object.get(lib.settings, ["service_approvals", input.service.name, input.request.env], null)

configured_requirements := service_requirements if service_requirements != null
else := env_requirements

# A downgrade outside /rollback needs at least `versions.downgrade_approvals` approvals (data, default 1): where the
# environment asks for fewer, the approvers group makes up the difference.
downgrade_approvals := object.get(lib.settings, ["versions", "downgrade_approvals"], 1)

configured_count := sum([n | some _, n in configured_requirements])

requirements := object.union(configured_requirements, {lib.approvers_group: object.get(configured_requirements, lib.approvers_group, 0) + short}) if {
	downgrade
	short := downgrade_approvals - configured_count
	short > 0
} else := configured_requirements

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

# --- version order (input.versions) and environment order (input.promotion): see README "Policies" ---------------

downgrade if input.versions.comparison == "downgrade"

deny contains {"rule": "downgrade", "message": msg} if {
	downgrade
	not lib.hotfix
	v := input.versions
	msg := sprintf("%s → %s is a downgrade of %s in %s. To go back on purpose, say why with --reason \"…\" (it then needs %d approval(s)), or roll back: /rollback %s %s to %s", [v.running, v.requested, input.request.service, input.request.env, max([configured_count, downgrade_approvals]), input.request.service, input.request.env, v.requested])
}

# Environments that take no pre-release (v1.6.0-rc.1); data `versions.no_prerelease_in`, default production.
no_prerelease_in := object.get(lib.settings, ["versions", "no_prerelease_in"], ["production"])

deny contains {"rule": "prerelease", "message": msg} if {
	input.versions.prerelease
	input.request.env in no_prerelease_in
	elsewhere := [e | some e in object.get(input, ["service", "environments"], []); not e in no_prerelease_in]
	msg := sprintf("%s is a pre-release, and pre-releases are kept out of %s. %s", [input.versions.requested, input.request.env, prerelease_hint(elsewhere)])
}

prerelease_hint(elsewhere) := sprintf("Try it in %s; %s takes a release (a version without a -suffix).", [concat(" or ", elsewhere), input.request.env]) if count(elsewhere) > 0
else := sprintf("%s takes a release (a version without a -suffix).", [input.request.env])

# The environment requires the same artifact to have succeeded in an earlier one first (`requires` in deckhand.yaml);
# rollbacks have their own package and are never held up by it.
deny contains {"rule": "environment_order", "message": msg} if {
	p := input.promotion
	is_object(p)
	not p.ran
	what := sprintf("%s %s", [input.request.service, input.request.version])
	msg := sprintf("%s has not succeeded in %s yet, and %s takes only what ran there first. Deploy it there first: /deploy %s to %s", [what, p.after, input.request.env, what, p.after])
}

deny contains {"rule": "environment_soak", "message": msg} if {
	p := input.promotion
	is_object(p)
	p.ran
	not p.satisfied
	p.still_running
	msg := sprintf("%s %s has run in %s for %s; %s takes it after %s there: wait %s more.", [input.request.service, input.request.version, p.after, lib.duration_text(p.soaked_seconds), input.request.env, lib.duration_text(p.needed_seconds), lib.wait_text(p.needed_seconds - p.soaked_seconds)])
}

deny contains {"rule": "environment_soak", "message": msg} if {
	p := input.promotion
	is_object(p)
	p.ran
	not p.satisfied
	not p.still_running
	what := sprintf("%s %s", [input.request.service, input.request.version])
	msg := sprintf("%s ran in %s for only %s before something else replaced it; %s takes it after %s there. Deploy it there again: /deploy %s to %s", [what, p.after, lib.duration_text(p.soaked_seconds), input.request.env, lib.duration_text(p.needed_seconds), what, p.after])
}

# --- image signatures (input.image, for services with a `signature` policy): see README "Policies" -----------------

# Environments that run only images whose signature verified; data `signatures.required_in`, default production.
# A hotfix --reason does not waive it: an image nobody can show was signed by us is not ours, however urgent the fix.
# Nothing is said while the digest is unknown (the version is built first): the gate before the rollout asks again.
signature_required_in := object.get(lib.settings, ["signatures", "required_in"], ["production"])

deny contains {"rule": "image_signature", "message": msg} if {
	img := input.image
	is_object(img)
	img.digest != null
	not img.signed
	input.request.env in signature_required_in
	msg := sprintf("%s %s cannot go to %s: its image %s is not validly signed: %s. Only signed images go to %s, with or without --reason; sign it with cosign and ask again.", [input.request.service, input.request.version, input.request.env, substring(img.digest, 0, 19), img.reason, input.request.env])
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
