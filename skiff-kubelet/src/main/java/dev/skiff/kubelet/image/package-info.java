/** Images without a registry: tar and OCI image-layout writing, Skiff's busybox and pause images, import with ctr. */
package dev.skiff.kubelet.image;
