// Addresses: RFC 5322 address-list headers (From, To, Cc) of a raw message.
import addressparser from "nodemailer/lib/addressparser";
import type { Address } from "./types";
import { LIMITS } from "./limits";
import { decodeWordsSafe } from "./headers";

interface AP {
  name?: string;
  address?: string;
  group?: AP[];
}

export function parseAddressList(value: string): Address[] {
  let list: AP[];
  try {
    list = addressparser(value, { flatten: true }) as AP[];
  } catch {
    return [];
  }
  const out: Address[] = [];
  for (const a of list) {
    let name = decodeWordsSafe(a.name ?? "");
    let address = (a.address ?? "").trim();
    if (!address && name) {
      // a broken mailer that encoded "Name <addr>" as one encoded-word
      const m = /<([^<>\s@]+@[^<>\s]+)>/.exec(name);
      if (m) {
        address = m[1];
        name = name.slice(0, m.index).trim().replace(/^"(.*)"$/, "$1");
      }
    }
    if (address.indexOf("=?") >= 0) {
      // RFC 2047 forbids encoded-words in an addr-spec; accept the decoded form only when it is a
      // plain local@domain (same rule as mailparser), otherwise there is no usable address
      const dec = decodeWordsSafe(address);
      address = /^[^\s@<>"]+@[^\s@<>"]+$/.test(dec) && dec.indexOf("=?") < 0 ? dec : "";
    }
    name = name.replace(/\s+/g, " ").trim();
    // no real address is that long; "@", "@host" and "user@" are no addresses either
    if (address.length > LIMITS.maxAddressChars || address[0] === "@" || address[address.length - 1] === "@") address = "";
    if (!address && !name) continue;
    out.push({ address: address.toLowerCase(), name });
  }
  return out;
}

export function addressesOf(values: string[]): Address[] {
  const out: Address[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    for (const a of parseAddressList(v)) {
      if (!a.address || seen.has(a.address)) continue; // skip empties and duplicates
      seen.add(a.address);
      out.push(a);
    }
  }
  return out;
}
