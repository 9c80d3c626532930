package dev.skiff.controllers;

/**
 * One reconcile loop of the controller manager. The constructor registers informer handlers
 * (through {@link ControllerContext#informers()}) and must not start threads; {@link #start}
 * runs once the shared informers have synced; {@link #close} stops the workers.
 */
public interface Controller extends AutoCloseable {
  /** The upstream name, such as {@code replicaset-controller}; also the events' source component. */
  String name();

  void start() throws Exception;

  @Override
  void close();
}
