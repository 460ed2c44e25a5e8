/* Intel 8254x ("e1000", 82540EM as QEMU and Bochs model it): legacy descriptors, polled. */
/* SPDX-License-Identifier: MIT */
/* Register and descriptor layouts: PCI/PCI-X Family of Gigabit Ethernet Controllers
 * Software Developer's Manual (8254x SDM) rev 4.0, sections 3.2, 3.3 and 13. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/net/nic.h"
#include "drivers/pci/pci.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"
#include "kernel/time.h"

#define INTEL_VENDOR 0x8086

/* 8254x SDM 13.3 register offsets */
#define REG_CTRL 0x0000
#define REG_STATUS 0x0008
#define REG_EERD 0x0014
#define REG_IMC 0x00d8
#define REG_RCTL 0x0100
#define REG_TCTL 0x0400
#define REG_TIPG 0x0410
#define REG_RDBAL 0x2800
#define REG_RDBAH 0x2804
#define REG_RDLEN 0x2808
#define REG_RDH 0x2810
#define REG_RDT 0x2818
#define REG_TDBAL 0x3800
#define REG_TDBAH 0x3804
#define REG_TDLEN 0x3808
#define REG_TDH 0x3810
#define REG_TDT 0x3818
#define REG_MTA 0x5200
#define REG_RAL0 0x5400
#define REG_RAH0 0x5404

#define CTRL_ASDE (1u << 5)  /* 13.4.1 */
#define CTRL_SLU (1u << 6)
#define CTRL_RST (1u << 26)
#define STATUS_LU (1u << 1)  /* 13.4.2 */
#define EERD_START (1u << 0) /* 13.4.4, 82540EM layout */
#define EERD_DONE (1u << 4)
#define RAH_AV (1u << 31)    /* 13.5.3 */
#define RCTL_EN (1u << 1)    /* 13.5.1: BSIZE 00 = 2048 bytes */
#define RCTL_BAM (1u << 15)
#define RCTL_SECRC (1u << 26)
#define TCTL_EN (1u << 1)    /* 13.5.16 */
#define TCTL_PSP (1u << 3)
#define TCTL_CT(x) ((uint32_t)(x) << 4)
#define TCTL_COLD(x) ((uint32_t)(x) << 12)
#define TIPG_82540 (10u | 8u << 10 | 6u << 20) /* 13.5.18: IPGT 10, IPGR1 8, IPGR2 6 (copper) */

#define DESC_DD 0x01   /* 3.2.3 / 3.3.3 status */
#define DESC_EOP 0x02
#define TXCMD_EOP 0x01 /* 3.3.3.1 */
#define TXCMD_IFCS 0x02
#define TXCMD_RS 0x08

#define RING 64 /* descriptors; 64 x 16 bytes is a multiple of 128 as RDLEN/TDLEN require */
#define BUF 2048
#define RESET_TIMEOUT_NS 100000000ull

struct rx_desc { uint64_t addr; uint16_t length, csum; uint8_t status, errors; uint16_t special; };
struct tx_desc { uint64_t addr; uint16_t length; uint8_t cso, cmd, status, css; uint16_t special; };
_Static_assert(sizeof(struct rx_desc) == 16 && sizeof(struct tx_desc) == 16, "8254x SDM 3.2.3, 3.3.3");

struct e1000 {
	struct nic nic;
	volatile uint8_t *regs;
	volatile struct rx_desc *rx;
	volatile struct tx_desc *tx;
	uint8_t *rx_buf, *tx_buf;
	uint64_t rx_buf_phys, tx_buf_phys;
	uint32_t rx_next, tx_tail;
};

static uint32_t rd(struct e1000 *e, uint32_t reg) { return *(volatile uint32_t *)(e->regs + reg); }
static void wr(struct e1000 *e, uint32_t reg, uint32_t v) { *(volatile uint32_t *)(e->regs + reg) = v; }

static int reset(struct e1000 *e)
{
	uint64_t deadline = time_ns() + RESET_TIMEOUT_NS;

	wr(e, REG_IMC, 0xffffffff);
	wr(e, REG_CTRL, rd(e, REG_CTRL) | CTRL_RST);
	time_delay_us(10); /* 13.4.1: wait before reading after a reset */
	while (rd(e, REG_CTRL) & CTRL_RST)
		if (time_ns() > deadline)
			return -1;
	wr(e, REG_IMC, 0xffffffff); /* polled: no interrupts */
	return 0;
}

static int eeprom_word(struct e1000 *e, uint8_t addr, uint16_t *out)
{
	uint64_t deadline = time_ns() + RESET_TIMEOUT_NS;
	uint32_t v;

	wr(e, REG_EERD, EERD_START | (uint32_t)addr << 8);
	while (!((v = rd(e, REG_EERD)) & EERD_DONE))
		if (time_ns() > deadline)
			return -1;
	*out = v >> 16;
	return 0;
}

/* The station address: RAL0/RAH0 as loaded from the EEPROM, or the EEPROM words 0-2 (13.5.3, 5.6.1). */
static int read_mac(struct e1000 *e)
{
	uint32_t lo = rd(e, REG_RAL0), hi = rd(e, REG_RAH0);
	uint16_t w;

	if (hi & RAH_AV) {
		for (int i = 0; i < 4; i++)
			e->nic.mac[i] = lo >> (8 * i);
		e->nic.mac[4] = hi;
		e->nic.mac[5] = hi >> 8;
		return 0;
	}
	for (uint8_t i = 0; i < 3; i++) {
		if (eeprom_word(e, i, &w))
			return -1;
		e->nic.mac[2 * i] = w;
		e->nic.mac[2 * i + 1] = w >> 8;
	}
	wr(e, REG_RAL0, e->nic.mac[0] | e->nic.mac[1] << 8 | e->nic.mac[2] << 16 | (uint32_t)e->nic.mac[3] << 24);
	wr(e, REG_RAH0, e->nic.mac[4] | e->nic.mac[5] << 8 | RAH_AV);
	return 0;
}

/* Rings and buffers from the frame allocator: hypervisor memory no guest maps. */
static int alloc_rings(struct e1000 *e)
{
	uint64_t ring = pmm_alloc_frame(), rxb = pmm_alloc(RING * BUF / 4096, 4096), txb = pmm_alloc(RING * BUF / 4096, 4096);

	if (!ring || !rxb || !txb)
		return -1;
	memset(phys_to_virt(ring), 0, 4096);
	e->rx = phys_to_virt(ring);
	e->tx = phys_to_virt(ring + 2048);
	e->rx_buf = phys_to_virt(rxb);
	e->tx_buf = phys_to_virt(txb);
	e->rx_buf_phys = rxb;
	e->tx_buf_phys = txb;
	return 0;
}

/* 14.4 receive and 14.5 transmit initialisation. */
static void start_rings(struct e1000 *e)
{
	uint64_t ring = virt_to_phys_direct((const void *)e->rx);

	for (uint32_t i = 0; i < 128; i++)
		wr(e, REG_MTA + 4 * i, 0);
	for (uint32_t i = 0; i < RING; i++) {
		e->rx[i].addr = e->rx_buf_phys + (uint64_t)i * BUF;
		e->rx[i].status = 0;
		e->tx[i].addr = e->tx_buf_phys + (uint64_t)i * BUF;
		e->tx[i].status = DESC_DD; /* free */
	}
	wr(e, REG_RDBAL, (uint32_t)ring);
	wr(e, REG_RDBAH, (uint32_t)(ring >> 32));
	wr(e, REG_RDLEN, RING * sizeof(struct rx_desc));
	wr(e, REG_RDH, 0);
	wr(e, REG_RDT, RING - 1);
	wr(e, REG_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);
	wr(e, REG_TDBAL, (uint32_t)(ring + 2048));
	wr(e, REG_TDBAH, (uint32_t)((ring + 2048) >> 32));
	wr(e, REG_TDLEN, RING * sizeof(struct tx_desc));
	wr(e, REG_TDH, 0);
	wr(e, REG_TDT, 0);
	wr(e, REG_TIPG, TIPG_82540);
	wr(e, REG_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT(0x0f) | TCTL_COLD(0x40));
	wr(e, REG_CTRL, rd(e, REG_CTRL) | CTRL_SLU | CTRL_ASDE);
	e->rx_next = 0;
	e->tx_tail = 0;
}

static bool heads_sane(struct e1000 *e)
{
	if (rd(e, REG_RDH) < RING && rd(e, REG_TDH) < RING)
		return true;
	nic_fail(&e->nic, "descriptor head beyond the ring");
	return false;
}

static int e1000_send(struct nic *nic, const void *frame, size_t len)
{
	struct e1000 *e = nic->priv;
	volatile struct tx_desc *d = &e->tx[e->tx_tail];

	if (nic->dead || len > NIC_FRAME_MAX || !heads_sane(e))
		return -1;
	if (!(d->status & DESC_DD))
		return -1; /* the ring is full */
	memcpy(e->tx_buf + (size_t)e->tx_tail * BUF, frame, len);
	d->length = (uint16_t)len;
	d->cmd = TXCMD_EOP | TXCMD_IFCS | TXCMD_RS;
	d->status = 0;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	e->tx_tail = (e->tx_tail + 1) % RING;
	wr(e, REG_TDT, e->tx_tail);
	return 0;
}

static unsigned e1000_poll(struct nic *nic, void (*deliver)(void *, const void *, size_t), void *ctx, unsigned budget)
{
	struct e1000 *e = nic->priv;
	unsigned n = 0;

	if (nic->dead || !heads_sane(e))
		return 0;
	while (n < budget && (e->rx[e->rx_next].status & DESC_DD)) {
		volatile struct rx_desc *d = &e->rx[e->rx_next];
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if ((d->status & DESC_EOP) && !d->errors && d->length >= 14 && d->length <= NIC_FRAME_MAX) {
			deliver(ctx, e->rx_buf + (size_t)e->rx_next * BUF, d->length);
			n++;
		} else {
			nic->count.rx_errors++; /* spanning, errored or impossible lengths are dropped */
		}
		d->status = 0;
		wr(e, REG_RDT, e->rx_next); /* the descriptor goes back to the NIC */
		e->rx_next = (e->rx_next + 1) % RING;
	}
	return n;
}

static bool e1000_link_up(struct nic *nic)
{
	struct e1000 *e = nic->priv;
	return !nic->dead && (rd(e, REG_STATUS) & STATUS_LU);
}

static const struct nic_ops e1000_ops = { .send = e1000_send, .poll = e1000_poll, .link_up = e1000_link_up };

static struct nic *e1000_attach(const struct pci_dev *d)
{
	struct e1000 *e = calloc(1, sizeof(*e));
	const char *why = NULL;

	if (!e)
		return NULL;
	snprintf(e->nic.name, sizeof(e->nic.name), "e1000");
	snprintf(e->nic.where, sizeof(e->nic.where), "%02x:%02x.%x", d->bus, d->dev, d->fn);
	e->nic.ops = &e1000_ops;
	e->nic.priv = e;
	pci_enable(d);
	if (!(e->regs = pci_map_bar(d, 0)) || d->bars[0].size < 0x20000)
		why = "BAR 0 is not the 128 KiB register space";
	else if (reset(e))
		why = "the device does not come out of reset";
	else if (read_mac(e))
		why = "cannot read the MAC address from the EEPROM";
	else if (alloc_rings(e))
		why = "out of memory for the rings";
	if (why) {
		log_warn("net: e1000 at %s not used: %s", e->nic.where, why);
		free(e);
		return NULL;
	}
	start_rings(e);
	return &e->nic;
}

struct nic *e1000_probe(void)
{
	static const uint16_t ids[] = { 0x100e /* 82540EM */, 0x100f /* 82545EM copper */ };

	for (unsigned i = 0; i < 2; i++) {
		uint32_t pos = 0;
		const struct pci_dev *d;
		while ((d = pci_find(INTEL_VENDOR, ids[i], &pos)) != NULL) {
			struct nic *n = e1000_attach(d);
			if (n)
				return n;
		}
	}
	return NULL;
}
