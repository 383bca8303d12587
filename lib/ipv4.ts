// Plain IPv4 CIDR arithmetic, so subnet layouts are computed at synth time and readable in the plan.

export interface Cidr {
  readonly base: number; // network address as an unsigned 32-bit integer
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) throw new Error(`not an IPv4 CIDR: ${text}`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR: ${text}`);
  const addr = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base: addr - (addr % 2 ** (32 - prefix)), prefix };
}

export function isCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

/** True when the address has no host bits set (10.0.0.0/16, not 10.0.0.1/16). */
export function isNetworkAddress(text: string): boolean {
  const m = /^(.*)\/\d+$/.exec(text);
  return m !== null && formatCidr(parseCidr(text)).startsWith(`${m[1]}/`);
}

export function formatCidr(c: Cidr): string {
  const o = [24, 16, 8, 0].map((s) => Math.floor(c.base / 2 ** s) % 256);
  return `${o.join(".")}/${c.prefix}`;
}

/** Same as Terraform's cidrsubnet(prefix, newbits, netnum). */
export function cidrSubnet(text: string, newbits: number, netnum: number): string {
  const c = parseCidr(text);
  const prefix = c.prefix + newbits;
  if (prefix > 32 || netnum >= 2 ** newbits || netnum < 0) {
    throw new Error(`cidrSubnet(${text}, ${newbits}, ${netnum}) does not fit`);
  }
  return formatCidr({ base: c.base + netnum * 2 ** (32 - prefix), prefix });
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const xEnd = x.base + 2 ** (32 - x.prefix);
  const yEnd = y.base + 2 ** (32 - y.prefix);
  return x.base < yEnd && y.base < xEnd;
}
