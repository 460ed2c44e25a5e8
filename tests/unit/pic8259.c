/* Host unit tests of the 8259A pair: initialisation sequence, masks, IRR/ISR reads, EOI, ELCR, cascade. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/dev/pic8259.h"

static struct vpic pic;

static int setup(void **state)
{
	(void)state;
	vpic_reset(&pic);
	return 0;
}

/* Linux's init_8259A: ICW1 0x11, ICW2 vector base, ICW3 cascade, ICW4 0x01 (8086 mode). */
static void linux_init(void)
{
	vpic_write(&pic, 0, 1, 0xff);
	vpic_write(&pic, 1, 1, 0xff);
	vpic_write(&pic, 0, 0, 0x11);
	vpic_write(&pic, 0, 1, 0x30);
	vpic_write(&pic, 0, 1, 0x04);
	vpic_write(&pic, 0, 1, 0x01);
	vpic_write(&pic, 1, 0, 0x11);
	vpic_write(&pic, 1, 1, 0x38);
	vpic_write(&pic, 1, 1, 0x02);
	vpic_write(&pic, 1, 1, 0x01);
}

static void test_linux_probe(void **state)
{
	(void)state;
	/* probe_8259A: write 0xff to the master's mask, read it back; 0xfb and so on. */
	vpic_write(&pic, 0, 1, 0xff);
	assert_int_equal(vpic_read(&pic, 0, 1), 0xff);
	vpic_write(&pic, 0, 1, 0xfb);
	assert_int_equal(vpic_read(&pic, 0, 1), 0xfb);
	linux_init();
	assert_int_equal(vpic_read(&pic, 0, 1), 0x00); /* ICW1 clears the mask */
	vpic_write(&pic, 0, 1, 0xfb);
	vpic_write(&pic, 1, 1, 0xff);
	assert_int_equal(vpic_read(&pic, 0, 1), 0xfb);
	assert_int_equal(vpic_read(&pic, 1, 1), 0xff);
	assert_int_equal(pic.chip[0].vector_base, 0x30);
	assert_int_equal(pic.chip[1].vector_base, 0x38);
	assert_int_equal(pic.chip[0].init_step, 0);
}

static void test_irr_isr_and_eoi(void **state)
{
	(void)state;
	linux_init();
	vpic_set_irq(&pic, 3, true);
	vpic_set_irq(&pic, 1, true);
	assert_int_equal(vpic_read(&pic, 0, 0), 0x0a);   /* IRR after reset of the read select */
	assert_true(vpic_int_output(&pic));
	assert_int_equal(vpic_ack(&pic), 0x31);          /* IRQ1 first: fully nested priority */
	vpic_write(&pic, 0, 0, 0x0b);                    /* OCW3: read ISR */
	assert_int_equal(vpic_read(&pic, 0, 0), 0x02);
	vpic_write(&pic, 0, 0, 0x0a);                    /* OCW3: read IRR */
	assert_int_equal(vpic_read(&pic, 0, 0), 0x08);
	assert_false(vpic_int_output(&pic));           /* IRQ3 waits below IRQ1 in service */
	vpic_write(&pic, 0, 0, 0x20);                    /* non-specific EOI */
	vpic_write(&pic, 0, 0, 0x0b);
	assert_int_equal(vpic_read(&pic, 0, 0), 0x00);
	assert_int_equal(vpic_ack(&pic), 0x33);
	vpic_write(&pic, 0, 0, 0x63);                    /* specific EOI, IRQ3 */
	assert_int_equal(vpic_read(&pic, 0, 0), 0x00);
	assert_false(vpic_int_output(&pic));
	assert_int_equal(vpic_ack(&pic), 0x37);          /* nothing: spurious IRQ7 */
}

static void test_mask_and_edge(void **state)
{
	(void)state;
	linux_init();
	vpic_write(&pic, 0, 1, 0xff);
	vpic_set_irq(&pic, 4, true);
	assert_false(vpic_int_output(&pic));
	vpic_write(&pic, 0, 1, 0xef);
	assert_true(vpic_int_output(&pic));
	assert_int_equal(vpic_ack(&pic), 0x34);
	vpic_write(&pic, 0, 0, 0x20);
	vpic_set_irq(&pic, 4, true);                     /* still high: no new edge */
	assert_false(vpic_int_output(&pic));
}

static void test_cascade(void **state)
{
	(void)state;
	linux_init();
	vpic_set_irq(&pic, 12, true);
	assert_int_equal(vpic_read(&pic, 0, 0), 0x04);   /* the slave's request on master input 2 */
	assert_int_equal(vpic_ack(&pic), 0x3c);
	vpic_write(&pic, 1, 0, 0x20);
	vpic_write(&pic, 0, 0, 0x20);
	assert_false(vpic_int_output(&pic));
}

static void test_elcr_level(void **state)
{
	(void)state;
	vpic_elcr_write(&pic, 0, 0xff);
	vpic_elcr_write(&pic, 1, 0xff);
	assert_int_equal(vpic_elcr_read(&pic, 0), 0xf8); /* IRQ 0-2 are edge only */
	assert_int_equal(vpic_elcr_read(&pic, 1), 0xde); /* IRQ 8 and 13 are edge only */
	linux_init();
	assert_int_equal(vpic_elcr_read(&pic, 0), 0xf8); /* ICW1 keeps the ELCR */
	vpic_set_irq(&pic, 9, true);
	vpic_set_irq(&pic, 9, false);
	vpic_write(&pic, 1, 0, 0x0a);
	assert_int_equal(vpic_read(&pic, 1, 0), 0x00);   /* level: the request follows the line */
	assert_int_equal(vpic_elcr_read(&pic, 2), 0xff);
}

static void test_rotation_and_poll(void **state)
{
	(void)state;
	linux_init();
	vpic_write(&pic, 0, 0, 0xc4);                    /* set priority: IRQ4 lowest, IRQ5 highest */
	vpic_set_irq(&pic, 1, true);
	vpic_set_irq(&pic, 6, true);
	assert_int_equal(vpic_ack(&pic), 0x36);
	vpic_write(&pic, 0, 0, 0x0c);                    /* OCW3 poll */
	assert_int_equal(vpic_read(&pic, 0, 0), 0x00);   /* IRQ1 is below IRQ6 in service */
	vpic_write(&pic, 0, 0, 0x20);
	vpic_write(&pic, 0, 0, 0x0c);
	assert_int_equal(vpic_read(&pic, 0, 0), 0x81);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	vpic_set_irq(&pic, 16, true);
	vpic_write(&pic, 2, 0, 0x11);
	vpic_write(&pic, 0, 2, 0x11);
	assert_int_equal(vpic_read(&pic, 2, 0), 0xff);
	assert_int_equal(vpic_read(&pic, 0, 5), 0xff);
	assert_false(vpic_int_output(&pic));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_linux_probe, setup),
		cmocka_unit_test_setup(test_irr_isr_and_eoi, setup),
		cmocka_unit_test_setup(test_mask_and_edge, setup),
		cmocka_unit_test_setup(test_cascade, setup),
		cmocka_unit_test_setup(test_elcr_level, setup),
		cmocka_unit_test_setup(test_rotation_and_poll, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
