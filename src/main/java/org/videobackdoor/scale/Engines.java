package org.videobackdoor.scale;

import java.util.Locale;

/**
 * Picks an engine by name: {@code local} (this JVM, the default) or {@code spark}. Spark is reached by reflection,
 * so the local path never loads a Spark class, and a build without Spark on the class path says so in one line.
 */
public final class Engines {
    public static final String SPARK_CLASS = "org.videobackdoor.scale.spark.SparkEngine";

    private Engines() {
    }

    public static Engine create(String name, String master, int threads) {
        switch (name == null ? "local" : name.toLowerCase(Locale.ROOT)) {
            case "local":
                return new LocalEngine(threads);
            case "spark":
                Class<?> c;
                try {
                    Class.forName("org.apache.spark.SparkConf");
                    c = Class.forName(SPARK_CLASS);
                } catch (ClassNotFoundException | NoClassDefFoundError e) {
                    throw new EngineException("--engine spark: Apache Spark is not on the class path (./vbd adds "
                            + "target/spark-lib/ when a command names the Spark engine; build it with mvn package)");
                }
                try {
                    return (Engine) c.getConstructor(String.class).newInstance(master == null ? "local[*]" : master);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new EngineException("--engine spark: " + e.getCause(), e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new EngineException("--engine spark: " + e, e);
                }
            default:
                throw new IllegalArgumentException("--engine must be local or spark, got '" + name + "'");
        }
    }
}
