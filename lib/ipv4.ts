// Plain IPv4 CIDR arithmetic, so subnet layouts are computed at synth time and readable in the plan.

export interface Cidr {
  readonly base: number; // network address as an unsigned 32-bit integer
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) throw new Error(`not an IPv4 CIDR: ${text}`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR: ${text}`);
  const addr = octets.reduce((acc, octet) => acc * 256 + octet, 0);
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
  const match = /^(.*)\/\d+$/.exec(text);
  return match !== null && formatCidr(parseCidr(text)).startsWith(`${match[1]}/`);
}

export function formatCidr(cidr: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefix}`;
}

/** Same as Terraform's cidrsubnet(prefix, newbits, netnum). */
export function cidrSubnet(text: string, newbits: number, netnum: number): string {
  const cidr = parseCidr(text);
  const prefix = cidr.prefix + newbits;
  if (prefix > 32 || netnum >= 2 ** newbits || netnum < 0) {
    throw new Error(`cidrSubnet(${text}, ${newbits}, ${netnum}) does not fit`);
  }
  return formatCidr({ base: cidr.base + netnum * 2 ** (32 - prefix), prefix });
}

export function cidrsOverlap(left: string, right: string): boolean {
  const leftCidr = parseCidr(left);
  const rightCidr = parseCidr(right);
  const leftEnd = leftCidr.base + 2 ** (32 - leftCidr.prefix);
  const rightEnd = rightCidr.base + 2 ** (32 - rightCidr.prefix);
  return leftCidr.base < rightEnd && rightCidr.base < leftEnd;
}
