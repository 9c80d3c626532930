/** Pod status as the API shows it: made from runtime state (generate.go) and posted on change (status manager). */
package dev.skiff.kubelet.status;
