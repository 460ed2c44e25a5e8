/* PCI enumeration: configuration space through ECAM or mechanism #1, BAR sizing, capabilities. */
/* SPDX-License-Identifier: MIT */
#include "drivers/pci/pci.h"

#include <stddef.h>
#include "kernel/arch/x86.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"

#define CONFIG_ADDRESS 0xcf8 /* PCI Local Bus 3.0 3.2.2.3.2 */
#define CONFIG_DATA 0xcfc
#define ECAM_BUS_BYTES (1u << 20) /* 32 devices x 8 functions x 4 KiB, PCI Express Base 4.0 7.2.2 */
#define CAP_HOPS_MAX 48           /* (256 - 64) / 4: more means a loop in the list */

static struct pci_dev devices[PCI_MAX_DEVICES];
static uint32_t device_count;
static uint64_t ecam_base;
static volatile uint8_t *ecam_bus[256];

static volatile uint8_t *ecam_at(const struct pci_dev *d, uint16_t off)
{
	if (!ecam_bus[d->bus])
		ecam_bus[d->bus] = paging_map_mmio(ecam_base + (uint64_t)d->bus * ECAM_BUS_BYTES, ECAM_BUS_BYTES);
	return ecam_bus[d->bus] + ((uint32_t)d->dev << 15 | (uint32_t)d->fn << 12 | (off & 0xfff));
}

static uint32_t mech1_address(const struct pci_dev *d, uint16_t off)
{
	return 0x80000000u | (uint32_t)d->bus << 16 | (uint32_t)d->dev << 11 | (uint32_t)d->fn << 8 | (off & 0xfc);
}

uint32_t pci_read32(const struct pci_dev *d, uint16_t off)
{
	if (ecam_base)
		return *(volatile uint32_t *)ecam_at(d, off & ~3u);
	outl(CONFIG_ADDRESS, mech1_address(d, off));
	return inl(CONFIG_DATA);
}

uint16_t pci_read16(const struct pci_dev *d, uint16_t off)
{
	return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_dev *d, uint16_t off)
{
	return (uint8_t)(pci_read32(d, off) >> ((off & 3) * 8));
}

void pci_write32(const struct pci_dev *d, uint16_t off, uint32_t v)
{
	if (ecam_base) {
		*(volatile uint32_t *)ecam_at(d, off & ~3u) = v;
		return;
	}
	outl(CONFIG_ADDRESS, mech1_address(d, off));
	outl(CONFIG_DATA, v);
}

void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v)
{
	if (ecam_base) {
		*(volatile uint16_t *)ecam_at(d, off & ~1u) = v;
		return;
	}
	outl(CONFIG_ADDRESS, mech1_address(d, off));
	outw(CONFIG_DATA + (off & 2), v);
}

/* Sizes BAR `i` with decoding off (PCI Local Bus 3.0 6.2.5.1); returns how many registers it used. */
static unsigned size_bar(struct pci_dev *d, unsigned i)
{
	uint16_t off = PCI_BAR0 + 4 * i;
	uint32_t lo = pci_read32(d, off), hi = 0, plo, phi = 0;
	int is64 = pci_bar_is_64(lo) && i < 5;

	pci_write32(d, off, 0xffffffff);
	plo = pci_read32(d, off);
	pci_write32(d, off, lo);
	if (is64) {
		hi = pci_read32(d, off + 4);
		pci_write32(d, off + 4, 0xffffffff);
		phi = pci_read32(d, off + 4);
		pci_write32(d, off + 4, hi);
	}
	d->bars[i] = pci_bar_decode((uint64_t)hi << 32 | lo, (uint64_t)phi << 32 | plo);
	return is64 ? 2 : 1;
}

static void read_function(struct pci_dev *d)
{
	uint32_t cr = pci_read32(d, PCI_CLASS_REV);
	uint16_t cmd = pci_read16(d, PCI_COMMAND);

	d->class_code = cr >> 24;
	d->subclass = cr >> 16;
	d->prog_if = cr >> 8;
	d->revision = cr;
	d->header_type = pci_read8(d, PCI_HEADER_TYPE) & 0x7f;
	if (d->header_type != 0)
		return;
	pci_write16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEM));
	for (unsigned i = 0; i < 6;)
		i += size_bar(d, i);
	pci_write16(d, PCI_COMMAND, cmd);
}

#define PCI_SECONDARY_BUS 0x19 /* type 1 header, PCI-to-PCI Bridge 1.2 3.2.5.3 */

static uint8_t bus_seen[256 / 8];

static void scan_bus(uint8_t bus, unsigned depth);

/* One function: recorded, and a bridge's secondary bus scanned in turn. */
static bool probe(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t *header, unsigned depth)
{
	struct pci_dev d = { .bus = bus, .dev = dev, .fn = fn };
	uint32_t id = pci_read32(&d, PCI_VENDOR_ID);

	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return false;
	*header = pci_read8(&d, PCI_HEADER_TYPE);
	if ((*header & 0x7f) == 1)
		scan_bus(pci_read8(&d, PCI_SECONDARY_BUS), depth + 1);
	if (device_count >= PCI_MAX_DEVICES) {
		log_warn("pci: more than %u functions; %02x:%02x.%x is ignored", PCI_MAX_DEVICES, bus, dev, fn);
		return true;
	}
	d.vendor = id & 0xffff;
	d.device = id >> 16;
	read_function(&d);
	devices[device_count++] = d;
	return true;
}

/* Each bus once (a bridge naming a bus already seen, or bus 0, is not followed again). */
static void scan_bus(uint8_t bus, unsigned depth)
{
	uint8_t header;

	if ((bus_seen[bus / 8] & (1u << (bus % 8))) || depth > 32)
		return;
	bus_seen[bus / 8] |= 1u << (bus % 8);
	for (uint8_t dev = 0; dev < 32; dev++) {
		if (!probe(bus, dev, 0, &header, depth) || !(header & 0x80))
			continue;
		for (uint8_t fn = 1; fn < 8; fn++)
			probe(bus, dev, fn, &header, depth);
	}
}

uint32_t pci_enumerate(uint64_t ecam_phys)
{
	struct pci_dev host = { 0 };

	ecam_base = ecam_phys;
	device_count = 0;
	for (unsigned i = 0; i < sizeof(bus_seen); i++)
		bus_seen[i] = 0;
	scan_bus(0, 0);
	/* A multi-function host bridge at 00:00: function N is the host controller of bus N. */
	if (pci_read8(&host, PCI_HEADER_TYPE) & 0x80)
		for (host.fn = 1; host.fn < 8; host.fn++)
			if ((pci_read32(&host, PCI_VENDOR_ID) & 0xffff) != 0xffff)
				scan_bus(host.fn, 0);
	log_info("pci: %u functions found through %s", device_count, pci_access_name());
	return device_count;
}

const char *pci_access_name(void)
{
	return ecam_base ? "ECAM" : "mechanism #1";
}

uint32_t pci_device_count(void)
{
	return device_count;
}

const struct pci_dev *pci_device(uint32_t index)
{
	return index < device_count ? &devices[index] : NULL;
}

const struct pci_dev *pci_find(uint16_t vendor, uint16_t device, uint32_t *pos)
{
	for (uint32_t i = *pos; i < device_count; i++)
		if (devices[i].vendor == vendor && devices[i].device == device) {
			*pos = i + 1;
			return &devices[i];
		}
	*pos = device_count;
	return NULL;
}

void pci_enable(const struct pci_dev *d)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	pci_write16(d, PCI_COMMAND,
		    cmd | PCI_COMMAND_IO | PCI_COMMAND_MEM | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
}

uint8_t pci_find_cap(const struct pci_dev *d, uint8_t cap_id, uint8_t after)
{
	uint8_t at;

	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	at = after ? pci_read8(d, after + 1) : pci_read8(d, PCI_CAP_PTR);
	for (unsigned hops = 0; at >= 0x40 && hops < CAP_HOPS_MAX; hops++) {
		at &= 0xfc; /* PCI Local Bus 3.0 6.7: the bottom two bits are reserved */
		if (pci_read8(d, at) == cap_id)
			return at;
		at = pci_read8(d, at + 1);
	}
	return 0;
}

volatile void *pci_map_bar(const struct pci_dev *d, unsigned bar)
{
	const struct pci_bar *b = bar < 6 ? &d->bars[bar] : NULL;

	if (!b || (b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64) || !b->base)
		return NULL;
	return paging_map_mmio(b->base, b->size);
}
