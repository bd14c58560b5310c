#!/usr/bin/env bash
# Builds a container image of every service with the .NET SDK's container support and pushes it
# to a registry: no Dockerfile, no Docker needed to build (the SDK pulls the chiseled base image
# and pushes the result itself; log in to the registry first, e.g. `docker login` or `podman login`).
# Usage: scripts/publish-images.sh REGISTRY [TAG]
#   scripts/publish-images.sh registry.example.com 1.0.0   → registry.example.com/genie/agent:1.0.0 …
#   scripts/publish-images.sh localhost:5000 dev            → a local registry (kind, k3d)
# Then set the same registry and tag under `images:` in deploy/kubernetes/overlays/<overlay>/kustomization.yaml.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || "$1" == -* ]]; then
  echo "usage: $0 REGISTRY [TAG]   (for example: $0 registry.example.com 1.0.0)" >&2
  exit 2
fi
registry="$1"
tag="${2:-latest}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

for project in "$repo_root"/services/Genie.*/Genie.*.csproj; do
  echo "publish-images: $(basename "$project" .csproj) → $registry (tag $tag)"
  dotnet publish "$project" -c Release -nologo -t:PublishContainer \
    -p:ContainerRegistry="$registry" -p:ContainerImageTags="$tag"
done
