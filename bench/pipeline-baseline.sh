#!/usr/bin/env bash
# The pipeline benchmark's baseline: what `cairn run` does for each task, done by hand with
# git plumbing, one task after the other, no journal, no checks.
#
#   bench/pipeline-baseline.sh <repo> <count> [milestone-branch]
#
# For task tNNN: a worktree on a new branch from the milestone head, the file written,
# committed, merged with merge-tree + commit-tree (two parents, never a fast-forward), the
# milestone branch moved by compare-and-swap update-ref, the worktree removed.
set -euo pipefail

repo=$1
count=$2
branch=${3:-milestone/001-bench}

cd "$repo"
common=$(git rev-parse --path-format=absolute --git-common-dir)
worktrees="$common/bench-worktrees"
mkdir -p "$worktrees"

head=$(git rev-parse --verify 'main^{commit}')
git update-ref -m 'bench: create branch' "refs/heads/$branch" "$head" 0000000000000000000000000000000000000000

width=${#count}
((width < 3)) && width=3

for ((i = 1; i <= count; i++)); do
  printf -v id 't%0*d' "$width" "$i"
  dir="$worktrees/$id"
  task_branch="feature/milestone-001-$id"

  git worktree add -q -b "$task_branch" "$dir" "$head"
  echo "$id" >"$dir/$id.txt"
  git -C "$dir" add -A
  git -C "$dir" commit -q -m "feat(milestone-001): Write $id.txt" -m "Milestone: 001
Task: $id"
  tree=$(git merge-tree --write-tree "$head" "$task_branch")
  new=$(git commit-tree "$tree" -p "$head" -p "$task_branch" -m "Merge $task_branch into $branch" -m "Milestone: 001
Task: $id")
  git update-ref -m "bench: merge $id" "refs/heads/$branch" "$new" "$head"
  git worktree remove --force "$dir"
  head=$new
done
