/**
 * The pods bound to this node: one worker per pod driven by the desired pod (informer) and the
 * runtime state (CRI, relisted), as upstream's pod workers and kuberuntime manager.
 */
package dev.skiff.kubelet.pods;
