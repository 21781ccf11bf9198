# Shared helpers for Deckhand's policies: settings with defaults, group membership, freeze windows.
package deckhand.lib

import rego.v1

# Settings live at data.deckhand.config (policies/data.json): a base document beside the policy packages,
# referenced by its own path so that reading it never depends on the rules being evaluated.
default settings := {}

settings := data.deckhand.config

oncall_group := object.get(settings, "oncall_group", "oncall")

approvers_group := object.get(settings, "approvers_group", "approvers")

now_ns := time.parse_rfc3339_ns(input.now)

# The pseudo-group "owners" is the service's owning team.
in_group(person, "owners") if input.service.team in person.groups

in_group(person, group) if {
	group != "owners"
	group in person.groups
}

requester_is_owner if input.service.team in input.requester.groups

requester_is_oncall if oncall_group in input.requester.groups

# --- freezes ---------------------------------------------------------------------------------------------------

applies_to_env(window) if "*" in object.get(window, "envs", [])

applies_to_env(window) if input.request.env in object.get(window, "envs", [])

applies_to_env(window) if object.get(window, "env", "") == input.request.env

in_window(window) if {
	now_ns >= time.parse_rfc3339_ns(window.from)
	not window.until
}

in_window(window) if {
	now_ns >= time.parse_rfc3339_ns(window.from)
	now_ns < time.parse_rfc3339_ns(window.until)
}

weekday_names := ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

minutes_of(hhmm) := (to_number(parts[0]) * 60) + to_number(parts[1]) if parts := split(hhmm, ":")

in_weekly(window) if {
	tz := object.get(window, "tz", "UTC")
	time.weekday([now_ns, tz]) in window.days
	clock := time.clock([now_ns, tz])
	minute := (clock[0] * 60) + clock[1]
	minute >= minutes_of(window.from)
	minute < minutes_of(window.until)
}

# Every freeze in force for the requested environment: one-off ones from /freeze (input.freezes), dated windows
# and weekly windows from data. Each is an object with at least a "reason".
active_freezes contains {"reason": object.get(f, "reason", "frozen"), "by": f.by, "until": object.get(f, "until", "")} if {
	some f in input.freezes
	applies_to_env(f)
	in_window(f)
}

active_freezes contains {"reason": object.get(w, "reason", "freeze window"), "by": "policy", "until": object.get(w, "until", "")} if {
	some w in object.get(object.get(settings, "freezes", {}), "windows", [])
	applies_to_env(w)
	in_window(w)
}

active_freezes contains {"reason": object.get(w, "reason", "weekly freeze"), "by": "policy", "until": sprintf("%s %s", [object.get(w, "tz", "UTC"), w.until])} if {
	some w in object.get(object.get(settings, "freezes", {}), "weekly", [])
	applies_to_env(w)
	in_weekly(w)
}

frozen if count(active_freezes) > 0

freeze_text := concat("; ", sort([f.reason | some f in active_freezes]))

# A hotfix is a request that states its reason (`--reason "…"`).
hotfix if trim_space(object.get(input.request, "reason", "")) != ""

# --- durations -------------------------------------------------------------------------------------------------

# How long, for messages: "45 seconds", "12 minutes", "2 hours 5 minutes" (whole minutes, rounded down).
duration_text(s) := "1 second" if s == 1

duration_text(s) := sprintf("%d seconds", [s]) if {
	s != 1
	s < 120
}

duration_text(s) := sprintf("%d minutes", [floor(s / 60)]) if {
	s >= 120
	s < 7200
}

duration_text(s) := sprintf("%d hours %d minutes", [floor(m / 60), m % 60]) if {
	s >= 7200
	m := floor(s / 60)
}

# How long is left to wait, rounded up (to the minute from two minutes on): never says less than it takes.
wait_text(s) := duration_text(s) if s < 120

wait_text(s) := duration_text(ceil(s / 60) * 60) if s >= 120
