/**
 * A client of the Kubernetes Container Runtime Interface (CRI v1, {@code runtime.v1}), the API that
 * upstream's kubelet speaks to containerd and CRI-O. {@link dev.skiff.kubelet.cri.CriConnection}
 * opens the socket; {@link dev.skiff.kubelet.cri.RuntimeService} and
 * {@link dev.skiff.kubelet.cri.ImageService} turn each call into records. The protobuf classes
 * generated from CRI's {@code api.proto} live in {@code dev.skiff.kubelet.cri.v1} for callers that
 * need a field the records leave out.
 */
package dev.skiff.kubelet.cri;
