/**
 * Skiff's node agent (kubelet). Its runtime layer, the part that needs no
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
 * On top of them: {@link dev.skiff.kubelet.Kubelet} with node registration and Lease ({@code node}),
 * pod workers ({@code pods}) and pod status ({@code status}). Still to come: probes, volumes, logs/exec
 * streaming and stats.
 */
package dev.skiff.kubelet;
