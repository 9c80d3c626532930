/** The Node object of this kubelet: registration, status from the host and CRI, and the Lease heartbeat. */
package dev.skiff.kubelet.node;
