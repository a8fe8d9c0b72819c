package org.videobackdoor.attack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A trigger's resolved parameters, defaults filled in, in the order the trigger read them: each a number, an integer
 * or a text. It is what provenance, the run summary and the poison manifest record; as JSON it is one object
 * ({@code {"size": 8, "position": "br"}}) and as text it reads like a map ({@code {size=8, position=br}}).
 */
public final class TriggerParams {
    /** One parameter's value. */
    public sealed interface Value permits Num, Int, Text {
        /** The value as it prints in a label. */
        String text();
    }

    /** A real-valued parameter. */
    public record Num(double value) implements Value {
        @Override
        public String text() {
            return Double.toString(value);
        }
    }

    /** An integer parameter. */
    public record Int(int value) implements Value {
        @Override
        public String text() {
            return Integer.toString(value);
        }
    }

    /** A text parameter (one of the values the trigger allows). */
    public record Text(String value) implements Value {
        @Override
        public String text() {
            return value;
        }
    }

    /** One named parameter. */
    public record Param(String key, Value value) {
    }

    public static final TriggerParams NONE = new TriggerParams(List.of());

    private final List<Param> params;

    TriggerParams(List<Param> params) {
        this.params = List.copyOf(params);
    }

    /** The parameters in the order the trigger read them. */
    public List<Param> list() {
        return params;
    }

    public boolean isEmpty() {
        return params.isEmpty();
    }

    /** The value of {@code key}, if the trigger has it. */
    public Optional<Value> get(String key) {
        return params.stream().filter(p -> p.key().equals(key)).map(Param::value).findFirst();
    }

    /** The same parameters ordered by key (how the poison manifest records them). */
    public TriggerParams sorted() {
        List<Param> s = new ArrayList<>(params);
        s.sort(Comparator.comparing(Param::key));
        return new TriggerParams(s);
    }

    /** The JSON object: numbers as numbers, texts as strings. */
    @JsonValue
    public ObjectNode json() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (Param p : params) {
            if (p.value() instanceof Num n) {
                o.put(p.key(), n.value());
            } else if (p.value() instanceof Int i) {
                o.put(p.key(), i.value());
            } else {
                o.put(p.key(), ((Text) p.value()).value());
            }
        }
        return o;
    }

    /** Reads {@link #json()} back: integral numbers as integers, other numbers as numbers, the rest as text. */
    @JsonCreator
    public static TriggerParams fromJson(ObjectNode o) {
        List<Param> out = new ArrayList<>();
        o.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            out.add(new Param(e.getKey(), v.isIntegralNumber() ? new Int(v.asInt()) : v.isNumber() ? new Num(v.asDouble())
                    : new Text(v.asText())));
        });
        return new TriggerParams(out);
    }

    @Override
    public String toString() {
        return params.stream().map(p -> p.key() + "=" + p.value().text()).collect(Collectors.joining(", ", "{", "}"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TriggerParams t && t.params.equals(params);
    }

    @Override
    public int hashCode() {
        return params.hashCode();
    }
}
