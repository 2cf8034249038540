package io.caudal.edge.licence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.caudal.schemas.TitleKeys;
import io.caudal.schemas.protect.MasterKey;
import io.caudal.schemas.protect.TitleKeyStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protected titles' content keys by key id, unwrapped once and kept in memory: a licence is answered
 * without reading {@code <root>/keys/}.
 *
 * <p>A key id not in memory is looked for in the granted title's file (a title published since the
 * last look), then in every title's file (to tell another title's key from an unknown one). Each
 * look happens at most once per {@link #REFRESH_INTERVAL} (per title, and for the whole folder), so
 * requests for unknown key ids cannot make this server read the folder per request.
 *
 * <p>Keys are never logged: what the log names is titles, key ids and master key ids.
 */
public final class ContentKeyIndex {

  /** The most often the key folder (or one title's file) is read again for a key id not in memory. */
  public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
  /** A bound on memory: 32 bytes and a title id per key, three keys per title. */
  static final long MAX_KEYS = 1_000_000;

  private static final Logger LOG = LoggerFactory.getLogger(ContentKeyIndex.class);

  /** A content key and the title it protects. */
  public record TitleKey(String titleId, byte[] key) {
    @Override
    public String toString() {
      return "TitleKey[" + titleId + "]";
    }
  }

  private final TitleKeyStore store;
  private final MasterKey master;
  private final Ticker ticker;
  private final Cache<String, TitleKey> byKid;
  /** Titles whose file was read in the last interval: not read again for a key id still missing. */
  private final Cache<String, Boolean> titlesReadRecently;
  private final Object scanLock = new Object();
  private volatile long lastScanNanos;
  private volatile boolean scanned;
  private final AtomicLong titleReads = new AtomicLong();
  private final AtomicLong folderScans = new AtomicLong();

  public ContentKeyIndex(TitleKeyStore store, MasterKey master) {
    this(store, master, Ticker.systemTicker());
  }

  /** @param ticker the clock of the refresh interval (a test moves it by hand) */
  public ContentKeyIndex(TitleKeyStore store, MasterKey master, Ticker ticker) {
    this.store = store;
    this.master = master;
    this.ticker = ticker;
    this.byKid = Caffeine.newBuilder().maximumSize(MAX_KEYS).build();
    this.titlesReadRecently = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(REFRESH_INTERVAL)
        .maximumSize(100_000).build();
  }

  /**
   * The key with this id, and its title.
   *
   * @param kid 32 lowercase hex digits
   * @param grantedTitle the title the asking grant is for: its file is read first when the key is not in memory
   * @return empty when no stored title has the key (as far as the refresh interval lets this server know)
   */
  public Optional<TitleKey> find(String kid, String grantedTitle) throws IOException {
    TitleKey known = byKid.getIfPresent(kid);
    if (known != null) {
      return Optional.of(known);
    }
    if (titlesReadRecently.asMap().putIfAbsent(grantedTitle, Boolean.TRUE) == null) {
      titleReads.incrementAndGet();
      store.read(grantedTitle).ifPresent(this::remember);
      known = byKid.getIfPresent(kid);
      if (known != null) {
        return Optional.of(known);
      }
    }
    scanAtMostOncePerInterval();
    return Optional.ofNullable(byKid.getIfPresent(kid));
  }

  /** Reads of one title's file so far. */
  public long titleReads() {
    return titleReads.get();
  }

  /** Reads of the whole folder so far. */
  public long folderScans() {
    return folderScans.get();
  }

  private void scanAtMostOncePerInterval() throws IOException {
    if (scanned && ticker.read() - lastScanNanos < REFRESH_INTERVAL.toNanos()) {
      return;
    }
    synchronized (scanLock) {
      // Those who waited here while another request scanned find the scan just done, and do not repeat it.
      if (scanned && ticker.read() - lastScanNanos < REFRESH_INTERVAL.toNanos()) {
        return;
      }
      folderScans.incrementAndGet();
      List<TitleKeys> all = store.readAll();
      all.forEach(this::remember);
      lastScanNanos = ticker.read();
      scanned = true;
    }
  }

  private void remember(TitleKeys keys) {
    Map<String, byte[]> clear;
    try {
      clear = master.unwrap(keys);
    } catch (IllegalStateException e) {
      // The message names the title, the key id and the master key ids, never a key.
      LOG.warn("no licences for title {}: {}", keys.getTitleId(), e.getMessage());
      return;
    }
    clear.forEach((kid, key) -> byKid.put(kid, new TitleKey(keys.getTitleId(), key)));
  }
}
