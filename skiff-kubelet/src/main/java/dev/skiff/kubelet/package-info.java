/**
 * Skiff's node agent (kubelet). This module holds so far its runtime layer, the part that needs no
 * API server:
 *
 * <ul>
 *   <li>{@link dev.skiff.kubelet.cri}: a CRI v1 client (gRPC over containerd's Unix socket) with
 *       records in and out: sandboxes, containers, images.
 *   <li>{@link dev.skiff.kubelet.containerd}: a containerd of Skiff's own under a data dir, or an
 *       existing CRI socket.
 *   <li>{@link dev.skiff.kubelet.image}: images without a registry: OCI layouts built from
 *       busybox-static (busybox and pause) and imported with {@code ctr}.
 *   <li>{@link dev.skiff.kubelet.cni}: the node's bridge network for its podCIDR and the cluster
 *       CIDR's unreachable safety route.
 * </ul>
 *
 * Still to come, on top of these: node registration and heartbeats, one worker per pod (desired
 * pod from the API, observed from CRI, relist, restart back-off), probes, volumes, logs/exec
 * streaming and stats.
 */
package dev.skiff.kubelet;
