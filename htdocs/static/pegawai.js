/* Portal Pegawai: small enhancements only. Every page works without this
 * file; the account menu is a <details> element that opens and closes by
 * itself. Here it also closes on Escape and on a click outside it. */
(function () {
    'use strict';

    function openMenus() {
        return document.querySelectorAll('details.account[open]');
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
