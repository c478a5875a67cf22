package io.hermes.realtime.polling;

import java.util.List;

/**
 * Everything a polled view's body depends on besides its data set: the view's name and the values
 * derived from the request (the caller's owner scope, the normalised query, today's date for reports
 * that end today …), which the view's {@code PolledView} lists as its identity. Two requests with equal keys, answered at the same version, get the
 * same bytes. Each part is written with its length, so no choice of values makes two keys collide.
 */
public final class ViewKey {
    private final DataSet data;
    private final StringBuilder parts = new StringBuilder(64);

    private ViewKey(DataSet data, String view) {
        this.data = data;
        with(view);
    }

    /** The key of {@code view} (a name unique among the views of {@code data}). */
    public static ViewKey of(DataSet data, String view) {
        return new ViewKey(data, view);
    }

    /** Adds a part; {@code null} is a value of its own, distinct from every string. */
    public ViewKey with(String part) {
        if (part == null) {
            parts.append("-;");
        } else {
            parts.append(part.length()).append(':').append(part).append(';');
        }
        return this;
    }

    public ViewKey with(long part) {
        return with(Long.toString(part));
    }

    /** A part given by its text, such as a date or an enum constant; {@code null} stays {@code null}. */
    public ViewKey with(Object part) {
        return with(part == null ? null : part.toString());
    }

    /** Adds each part in order, as {@link #with(Object)} does: a view's {@code PolledView.Prepared.identity()}. */
    public ViewKey withAll(List<?> parts) {
        for (Object part : parts) {
            with(part);
        }
        return this;
    }

    DataSet data() {
        return data;
    }

    /** The identity of the body this key gives at {@code version} of its data set. */
    String identity(String version) {
        return data.field() + ';' + version + ';' + parts;
    }
}
