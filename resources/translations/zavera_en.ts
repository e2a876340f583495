<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>TrayIcon</name>
    <message numerus="yes">
        <source>%n unread payment(s)</source>
        <translation>
            <numerusform>%n unread payment</numerusform>
            <numerusform>%n unread payments</numerusform>
        </translation>
    </message>
</context>
</TS>
