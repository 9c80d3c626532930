package dev.skiff.kubelet.server.spdy;

import java.nio.charset.StandardCharsets;

/**
 * The zlib dictionary that SPDY/3 header blocks are compressed with (SPDY/3 draft, section
 * 2.6.10.1): every endpoint primes its inflater and deflater with it.
 */
final class SpdyDictionary {

  private SpdyDictionary() {}

  /** A fresh copy of the dictionary's bytes. */
  static byte[] bytes() {
    return TEXT.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static final String TEXT = ""
      + "\000\000\000\007options\000\000\000\004head\000\000\000\004post\000\000\000\003put\000\000"
      + "\000\006delete\000\000\000\005trace\000\000\000\006accept\000\000\000\016accept-charset"
      + "\000\000\000\017accept-encoding\000\000\000\017accept-language\000\000\000\015accept-range"
      + "s\000\000\000\003age\000\000\000\005allow\000\000\000\015authorization\000\000\000\015cach"
      + "e-control\000\000\000\012connection\000\000\000\014content-base\000\000\000\020content-enc"
      + "oding\000\000\000\020content-language\000\000\000\016content-length\000\000\000\020content"
      + "-location\000\000\000\013content-md5\000\000\000\015content-range\000\000\000\014content-t"
      + "ype\000\000\000\004date\000\000\000\004etag\000\000\000\006expect\000\000\000\007expires"
      + "\000\000\000\004from\000\000\000\004host\000\000\000\010if-match\000\000\000\021if-modifie"
      + "d-since\000\000\000\015if-none-match\000\000\000\010if-range\000\000\000\023if-unmodified-"
      + "since\000\000\000\015last-modified\000\000\000\010location\000\000\000\014max-forwards\000"
      + "\000\000\006pragma\000\000\000\022proxy-authenticate\000\000\000\023proxy-authorization"
      + "\000\000\000\005range\000\000\000\007referer\000\000\000\013retry-after\000\000\000\006ser"
      + "ver\000\000\000\002te\000\000\000\007trailer\000\000\000\021transfer-encoding\000\000\000"
      + "\007upgrade\000\000\000\012user-agent\000\000\000\004vary\000\000\000\003via\000\000\000"
      + "\007warning\000\000\000\020www-authenticate\000\000\000\006method\000\000\000\003get\000"
      + "\000\000\006status\000\000\000\006200 OK\000\000\000\007version\000\000\000\010HTTP/1.1"
      + "\000\000\000\003url\000\000\000\006public\000\000\000\012set-cookie\000\000\000\012keep-al"
      + "ive\000\000\000\006origin10010120120220520630030230330430530630740240540640740840941041141"
      + "2413414415416417502504505203 Non-Authoritative Information204 No Content301 Moved Permanen"
      + "tly400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 N"
      + "ot Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:0"
      + "0:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif"
      + ",application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=gzi"
      + "p,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
}
