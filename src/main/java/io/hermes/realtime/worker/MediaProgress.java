package io.hermes.realtime.worker;

/**
 * Turns yt-dlp's progress lines, one per step of one part (the video, then the audio, of a download that
 * merges them), into one progress of the whole download that never goes back: each part counts for an equal
 * share of the percentage, and a part's share moves with its bytes (or its fragments, when the size is only
 * estimated). Used by one transfer's thread only.
 *
 * <p>A line, as our {@code --progress-template} writes it: {@code status downloaded total estimate speed eta
 * format fragment fragments}, fields separated by one space, {@code NA} for an unknown value.
 */
final class MediaProgress {
    /** The percentage stays below 100 until yt-dlp has finished: merging and moving come after the bytes. */
    private static final double BEFORE_THE_END = 99.9;

    /**
     * One step of the whole download.
     *
     * @param totalBytes −1 while not every part's size is known
     * @param speed      bytes per second of the current part, or null
     * @param eta        seconds, or null while parts remain after the current one
     */
    record Step(double percentage, long downloadedBytes, long totalBytes, Double speed, Long eta) {
    }

    private final int parts;
    private int partsDone;
    private long bytesDone;
    private String currentFormat;
    private double lastPercentage;

    /** @param parts how many files yt-dlp downloads for this one (2 for {@code video+audio}), at least 1 */
    MediaProgress(int parts) {
        this.parts = Math.max(1, parts);
    }

    /** The number of parts of a yt-dlp format id: {@code 137+140} has two. */
    static int partsOf(String formatId) {
        return formatId == null || formatId.isEmpty() ? 1 : formatId.split("\\+", -1).length;
    }

    /** The step a progress line makes, or null for a line that is not one. */
    Step onLine(String line) {
        String[] f = line.split(" ", -1);
        if (f.length < 9) {
            return null;
        }
        String status = f[0];
        Long downloaded = whole(f[1]);
        Long total = whole(f[2]);
        Long estimate = whole(f[3]);
        Double speed = decimal(f[4]);
        Long eta = whole(f[5]);
        String format = f[6];
        Long fragment = whole(f[7]);
        Long fragments = whole(f[8]);
        if (downloaded == null) {
            return null;
        }
        if (currentFormat != null && !currentFormat.equals(format)) {
            // A new part began without a "finished" for the last one (yt-dlp found it already on disk).
            partsDone = Math.min(parts - 1, partsDone + 1);
        }
        currentFormat = format;
        long partTotal = total != null ? total : estimate != null ? estimate : -1;
        double fraction;
        if (status.equals("finished")) {
            fraction = 1;
        } else if (total != null && total > 0) {
            fraction = Math.min(1, downloaded / (double) total);
        } else if (fragment != null && fragments != null && fragments > 0) {
            fraction = Math.min(1, fragment / (double) fragments);
        } else if (estimate != null && estimate > 0) {
            fraction = Math.min(1, downloaded / (double) estimate);
        } else {
            fraction = 0;
        }
        double share = Math.min(parts, partsDone + fraction) / parts * 100;
        double percentage = Math.max(lastPercentage, Math.min(BEFORE_THE_END, Math.round(share * 10) / 10.0));
        lastPercentage = percentage;
        boolean lastPart = partsDone == parts - 1;
        long soFar = bytesDone + downloaded;
        long wholeTotal = lastPart && partTotal >= 0 ? Math.max(soFar, bytesDone + partTotal) : -1;
        Step step = new Step(percentage, soFar, wholeTotal, speed, lastPart ? eta : null);
        if (status.equals("finished")) {
            bytesDone += partTotal >= 0 ? Math.max(partTotal, downloaded) : downloaded;
            partsDone = Math.min(parts, partsDone + 1);
            currentFormat = null;
        }
        return step;
    }

    /** Whether every part has been downloaded (what follows is merging, converting, moving). */
    boolean allPartsDone() {
        return partsDone >= parts;
    }

    private static Long whole(String value) {
        Double number = decimal(value);
        return number == null ? null : Math.round(number);
    }

    private static Double decimal(String value) {
        if (value.isEmpty() || value.equals("NA") || value.equals("None")) {
            return null;
        }
        try {
            double number = Double.parseDouble(value);
            return Double.isFinite(number) && number >= 0 ? number : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
