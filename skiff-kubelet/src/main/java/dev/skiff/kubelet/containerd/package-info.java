/** Running containerd 1.6 for the node: its config ({@link dev.skiff.kubelet.containerd.ContainerdConfig}) and process. */
package dev.skiff.kubelet.containerd;
