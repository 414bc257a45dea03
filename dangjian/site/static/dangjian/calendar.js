/*
 * The month title of the back office's date picker in the locale's order (2026年11月, from
 * YEAR_MONTH_FORMAT in the JavaScript catalog), where Django's calendar.js writes the month's
 * name and then the year (十一月 2026) whatever the language. Every other string of the pickers
 * is translated by the catalog (dangjian/site/locale/zh_Hans/LC_MESSAGES/djangojs.po).
 * Loaded on every back-office page (UNFOLD["SCRIPTS"]); does nothing where there is no calendar.
 */
'use strict';
{
    // Django's date format characters that a month title uses; others are written as they are
    function yearMonth(format, year, month) {
        const names = window.CalendarNamespace ? window.CalendarNamespace.monthsOfYear : [];
        const parts = {
            Y: String(year),
            y: String(year).slice(-2),
            n: String(month),
            m: String(month).padStart(2, '0'),
            F: names[month - 1] || String(month),
        };
        let text = '';
        for (let i = 0; i < format.length; i++) {
            const c = format[i];
            if (c === '\\' && i + 1 < format.length) {
                text += format[++i];
            } else {
                text += Object.prototype.hasOwnProperty.call(parts, c) ? parts[c] : c;
            }
        }
        return text;
    }

    function titleFormat() {
        const format = typeof window.get_format === 'function' ? window.get_format('YEAR_MONTH_FORMAT') : '';
        return format && format !== 'YEAR_MONTH_FORMAT' ? format : 'Y年n月';
    }

    function retitle() {
        const calendar = window.CalendarNamespace;
        if (!calendar || calendar.dangjianTitled) {
            return;
        }
        const draw = calendar.draw;
        calendar.draw = function(month, year, div_id, callback, selected) {
            const result = draw.apply(this, arguments);
            const caption = document.querySelector('#' + div_id + ' caption');
            if (caption) {
                caption.textContent = yearMonth(titleFormat(), parseInt(year), parseInt(month));
            }
            return result;
        };
        calendar.dangjianTitled = true;
    }

    // calendar.js comes with the form's media, after this script; the pickers are drawn on load
    document.addEventListener('DOMContentLoaded', retitle);
}
