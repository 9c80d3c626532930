/** The pod network of a node: CNI configuration for its podCIDR and the cluster CIDR's safety route. */
package dev.skiff.kubelet.cni;
