package dev.skiff.kubelet.cri;

/** What CRI Version answers: the runtime's name and version and the CRI API version it speaks. */
public record RuntimeVersion(String runtimeName, String runtimeVersion, String runtimeApiVersion) {}
