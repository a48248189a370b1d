# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# The options table against what ships beside the binary: the man page,
# the reference and the bash completion must know every option of the
# table, and no other, with the same argument names and choices.  The
# binary gives its table with its internal command `options-table` (one
# line per option: SPELLING LONG ALIAS SHORT ARGUMENT KIND CHOICES KEY,
# tab-separated, "-" for none; see cli.h).

# options_table: the table's lines, from the binary under test.
options_table() {
	"$PROMISE_RUN" options-table || fail "options-table exited $?"
}

# man_options FILE: the tags of the man page's OPTIONS section, as the
# table spells them ("-t, --timeout=SECONDS"); the sections of the
# built-in checks that follow it are not read.
man_options() {
	awk '
		/^\.SH OPTIONS/ { inside = 1; next }
		/^\.S[HS] / { inside = 0 }
		!inside { next }
		/^\.TP/ { tag = 1; next }
		tag {
			tag = 0
			line = $0
			# A macro line: its arguments joined, quotes removed.
			if (line ~ /^\.[A-Z]+ /) {
				sub(/^\.[A-Z]+ /, "", line)
				joined = ""; quoted = 0
				for (i = 1; i <= length(line); i++) {
					c = substr(line, i, 1)
					if (c == "\"") { quoted = !quoted; continue }
					if (c == " " && !quoted) continue
					joined = joined c
				}
				line = joined
			}
			gsub(/\\f[BIRP]/, "", line); gsub(/\\-/, "-", line)
			gsub(/\\[%&]/, "", line)
			print line
		}' "$1"
}

# man_options_text FILE: the OPTIONS section as plain text.
man_options_text() {
	awk '/^\.SH OPTIONS/ { inside = 1 } /^\.SS / { inside = 0 } inside' "$1" |
		sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\[%&]//g'
}

# doc_options FILE: the first cells of the reference's table of options.
doc_options() {
	awk '/^## Options/ { inside = 1; next } /^## / { inside = 0 }
		inside && /^\| `/ { print }' "$1" |
		sed -e 's/^| \([^|]*\) |.*/\1/' -e 's/`//g'
}

# same_lists WHAT EXPECTED ACTUAL: fails with the lines in one only.
same_lists() {
	local only_table only_other
	only_table=$(comm -23 <(sort <<<"$2") <(sort <<<"$3"))
	only_other=$(comm -13 <(sort <<<"$2") <(sort <<<"$3"))
	[[ -z $only_table && -z $only_other ]] ||
		fail "$1: only in the table: [${only_table//$'\n'/, }]; only in $1: [${only_other//$'\n'/, }]"
}

test_the_man_page_lists_the_options_of_the_table() {
	local table man alias
	table=$(options_table | cut -f1)
	man=$(man_options "$REPO/man/promise-run.1")
	same_lists "man/promise-run.1" "$table" "$man"
	for alias in $(options_table | cut -f3 | grep -vx -- -); do
		man_options_text "$REPO/man/promise-run.1" | grep -q -- "--$alias\b" ||
			fail "man/promise-run.1 does not name the alias --$alias"
	done
}

test_the_reference_lists_the_options_of_the_table() {
	local table doc alias
	table=$(options_table | cut -f1)
	doc=$(doc_options "$REPO/doc/promise-run.md")
	same_lists "doc/promise-run.md" "$table" "$doc"
	for alias in $(options_table | cut -f3 | grep -vx -- -); do
		grep -q -- "^| .*Alias \`--$alias\`" "$REPO/doc/promise-run.md" ||
			fail "doc/promise-run.md does not name the alias --$alias"
	done
}

test_help_lists_the_options_of_the_table() {
	local table help
	table=$(options_table | cut -f1)
	run_pr --help
	expect_status 0
	# An option's line: two blanks, or six where it has no short option.
	help=$(sed -n -e 's/^  \(-., --[^ ]*\).*/\1/p' \
		-e 's/^      \(--[^ ]*\).*/\1/p' <<<"$out")
	same_lists "--help" "$table" "$help"
}

# The completion, run as bash runs it on TAB, for every option of the
# table: `--` offers every long option and alias; after an option that
# takes a value nothing else is offered (its choices, files, users or
# nothing), after one that takes none the options are offered again;
# after a choice, its names exactly.
test_the_bash_completion_knows_the_options_of_the_table() {
	[[ -r /usr/share/bash-completion/bash_completion ]] ||
		skip "bash-completion is missing"
	mkdir empty
	out=$(cd empty && options_table | bash -c '
		. /usr/share/bash-completion/bash_completion
		. "$1"
		complete_words() {
			COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			COMPREPLY=(); _promise_run
			((${#COMPREPLY[@]})) || return 0
			printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
		}
		expected=() lines=()
		while IFS=$'\''\t'\'' read -r spelling long alias short argument kind choices key; do
			lines+=("$long $alias $short $argument $kind $choices")
			expected+=("--$long")
			[[ $alias == - ]] || expected+=("--$alias")
		done
		all=$(printf "%s\n" "${expected[@]}" | sort | tr "\n" " ")
		offered=$(complete_words promise-run --)
		[[ $offered == "$all" ]] ||
			echo "FAIL: -- offers [$offered], the table has [$all]"
		for line in "${lines[@]}"; do
			read -r long alias short argument kind choices <<<"$line"
			names=("--$long")
			[[ $alias == - ]] || names+=("--$alias")
			[[ $short == - ]] || names+=("-$short")
			for name in "${names[@]}"; do
				after=$(complete_words promise-run "$name" -)
				if [[ $argument == - && $after != --* ]]; then
					echo "FAIL: $name takes no value, yet the next word gets [$after]"
				elif [[ $argument != - && -n $after ]]; then
					echo "FAIL: $name takes $argument, yet the next word gets [$after]"
				fi
				[[ $argument != - && $kind == choice ]] || continue
				want=$(tr , "\n" <<<"$choices" | sort | tr "\n" " ")
				after=$(complete_words promise-run "$name" "")
				[[ $after == "$want" ]] ||
					echo "FAIL: $name offers [$after], the table has [$want]"
			done
		done
		echo done
	' bash "$REPO/etc/bash-completion/promise-run" 2>&1)
	[[ $out == "done" ]] || fail "completion against the table: $out"
}
