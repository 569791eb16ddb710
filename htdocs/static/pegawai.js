/* Portal Pegawai: small enhancements only. Every page works without this
 * file; the menus (Riwayat, Akun) are <details> elements that open and
 * close by themselves. Here they also close on Escape and on a click
 * outside them. */
(function () {
    'use strict';

    function openMenus() {
        return document.querySelectorAll('details.menu[open]');
    }

    document.addEventListener('click', function (event) {
        openMenus().forEach(function (menu) {
            if (!menu.contains(event.target)) {
                menu.open = false;
            }
        });
    });

    document.addEventListener('keydown', function (event) {
        if (event.key !== 'Escape') {
            return;
        }
        openMenus().forEach(function (menu) {
            menu.open = false;
            menu.querySelector('summary').focus();
        });
    });
}());
