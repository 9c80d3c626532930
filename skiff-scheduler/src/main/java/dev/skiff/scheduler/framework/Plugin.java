package dev.skiff.scheduler.framework;

/**
 * The root of every scheduling plugin: a plugin only has a name. What it does is told by the
 * extension-point interfaces it also implements ({@link FilterPlugin}, {@link ScorePlugin}, ...).
 * The name is the key under which the plugin is registered and configured in a profile.
 */
public interface Plugin {
    /** The plugin's unique name, the same as its {@code NAME} constant. */
    String name();
}
